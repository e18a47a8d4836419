"""English for the moderation pages (queue, item, author, reports, police, configuration, public
pages, dashboard panels). Merged by locale/fill_en.py."""

EN = {
    # queue
    "Granskningskö": "Review queue", "Granskningskön": "The review queue", "Nya": "New",
    "Under granskning": "In review", "Dolda i väntan på granskning": "Hidden pending review",
    "Eskalerade": "Escalated", "Återöppnade": "Reopened", "Beslutade": "Decided", "Flikar i kön": "Queue tabs",
    "Filter": "Filter", "Filtrera": "Filter", "Rensa": "Clear", "Per sida": "Per page", "Markera": "Select",
    "Prioritet": "Priority", "Text": "Text", "Väntat": "Waiting", "Granskas av": "Claimed by", "Kommunen": "The municipality",
    "Inga inlägg i den här fliken.": "No items in this tab.",
    "Massåtgärd för markerade inlägg": "Bulk action for selected items",
    "Motivering (krävs för att ta bort)": "Reason (required to remove)", "Utför": "Apply",
    "Ta bort inlägget": "Remove the item",
    "Innehållet sparas först och tas sedan bort på plattformen.":
        "The content is stored first and then removed on the platform.",
    "Ta bort": "Remove", "Avbryt": "Cancel", "Tryck <kbd>?</kbd> för kortkommandon.": "Press <kbd>?</kbd> for shortcuts.",
    "%(n)s inlägg": ("%(n)s item", "%(n)s items"), "Markera inlägg %(pk)s": "Select item %(pk)s",
    "Visa kortkommandon": "Show keyboard shortcuts", "Kortkommandon": "Keyboard shortcuts",
    "Nästa / föregående inlägg": "Next / previous item", "Öppna inlägget": "Open the item",
    "Markera inlägget (för massåtgärder)": "Select the item (for bulk actions)", "Behåll": "Keep", "Dölj": "Hide",
    "Ta bort (du får skriva en motivering)": "Remove (you are asked for a reason)",
    "Eskalera (öppnar beslutsformuläret)": "Escalate (opens the decision form)",
    "Svara (öppnar beslutsformuläret)": "Reply (opens the decision form)",
    "Visa eller dölj den här hjälpen": "Show or hide this help",
    "%(n)d inlägg: %(action)s.": "%(n)d items: %(action)s.", "Inlägg %(pk)s: %(reason)s": "Item %(pk)s: %(reason)s",
    "%(n)d s": "%(n)d s", "%(n)d min": "%(n)d min", "%(h)d h %(m)d min": "%(h)d h %(m)d min",
    "%(n)d d %(h)d h": "%(n)d d %(h)d h",
    # filters and forms
    "Sök i texten": "Search the text", "Alla kanaler": "All channels", "Alla regler": "All rules",
    "Flaggans källa": "Flag source", "Alla källor": "All sources", "Mottagen från": "Received from",
    "Mottagen till": "Received to", "Alla enheter": "All units", "Markerade inlägg": "Selected items",
    "Markera minst ett inlägg.": "Select at least one item.",
    "Skriv en motivering: den krävs när inlägg tas bort.": "Write a reason: it is required to remove items.",
    "Regler som brutits": "Rules broken", "Krävs för att ta bort och eskalera.": "Required to remove and escalate.",
    "Markera som ofarligt (nya anmälningar lägger inte tillbaka det i kön)":
        "Mark as harmless (new reports do not put it back in the queue)",
    "Innehåller sekretessuppgifter (tas bort på plattformen direkt och föreslås för diarieföring)":
        "Contains confidential information (removed on the platform at once and proposed for registration)",
    "Eskalera till kollega": "Escalate to a colleague", "Ingen särskild": "Nobody in particular",
    "Eller till roll": "Or to a role", "Ingen": "None", "Registrator": "Registrar", "Svarsmall": "Reply template",
    "Ingen mall": "No template", "Svarstext": "Reply text", "Hänvisa till": "Refer to", "Välj": "Choose",
    "Skriv en motivering: den krävs för att ta bort och eskalera.":
        "Write a reason: it is required to remove and escalate.",
    "Skäl": "Reason", "Räkna som prick (mot blockering)": "Count as a strike (toward a block)",
    "Skäl till att blockeringen hävs": "Reason for lifting the block", "Skäl till blockering": "Reason for the block",
    "Inkom via": "Came in via", "Länk till innehållet": "Link to the content",
    "Det anmälda innehållet": "The reported content", "Okänd": "Unknown",
    "Anmälarens kontaktuppgift": "Reporter's contact details", "Anmälarens meddelande": "Reporter's message",
    "Ange en länk eller texten som anmäls.": "Give a link or the text being reported.",
    "Koppla till inlägg": "Match to an item", "Ange vilket inlägg anmälan gäller.": "Say which item the report concerns.",
    "Vad anmäls?": "What is being reported?", "Ogiltigt mönster %(p)s: %(e)s": "Invalid pattern %(p)s: %(e)s",
    "Varför ångras beslutet?": "Why is the decision undone?",
    # item page
    "Tillbaka till kön": "Back to the queue", "Sekretess": "Confidential", "Kanal": "Channel", "blockerad": "blocked",
    "(interaktion med kommunens konto räknas som samtycke till att namnet visas)":
        "(interacting with the municipality's account counts as consent to the name being shown)",
    "Kommunen (upprättad)": "The municipality (drawn up)", "Riktning": "Direction", "Mottagen": "Received",
    "sedan": "ago", "Skapad på plattformen": "Created on the platform", "Samtycke": "Consent",
    "På plattformen": "On the platform", "Borttagen av avsändaren": "Deleted by the author", "Länkar:": "Links:",
    "Bilagor:": "Attachments:", "[Sekretess]": "[Confidential]",
    "Innehållet är sekretessmarkerat och visas bara för behöriga.":
        "The content is marked confidential and shown only to those authorised.",
    "Versioner (ändrad på plattformen)": "Versions (edited on the platform)", "Version": "Version",
    "original": "original", "Flaggor": "Flags", "Ingen regel": "No rule", "Varför:": "Why:",
    "Träffade termer:": "Matched terms:", "Flaggad av": "Flagged by", "Avgjord": "Resolved", "Inga flaggor.": "No flags.",
    "Tråden": "The thread", "Svar på": "Reply to", "kommunen": "the municipality", "Annat svar": "Other reply",
    "Det här inlägget": "This item", "Svar": "Reply", "Tidigare beslut": "Earlier decisions", "av": "by",
    "tid till beslut": "time to decision", "Motivering": "Reason", "Eskalerad till": "Escalated to",
    "Hänvisning": "Referral", "Upphäver beslut": "Reverses decision", "Ångra beslutet": "Undo the decision",
    "Ångra": "Undo", "Inga beslut ännu.": "No decisions yet.",
    "Tid från ankomst till beslut om borttagning:": "Time from arrival to the removal decision:",
    "Till borttagning på plattformen:": "To removal on the platform:",
    "Ännu inte borttaget på plattformen.": "Not yet removed on the platform.",
    "Utförande på plattformen": "On the platform", "Åtgärd": "Action", "Försök": "Attempts",
    "Senaste fel": "Last error", "Avslutad": "Finished", "Inga åtgärder på plattformen.": "No platform actions.",
    "Dolt på plattformen.": "Hidden on the platform.", "Borttaget på plattformen": "Removed on the platform",
    "Föreslagen polisanmälan": "Suggested police report",
    "Inlägget är flaggat för hot. Hot och andra brott polisanmäls.":
        "The item is flagged as a threat. Threats and other crimes are reported to the police.",
    "Upprätta polisanmälan": "Draw up a police report", "Beslut": "Decision",
    "Inlägget är beslutat. Ett nytt beslut upphäver det tidigare.":
        "The item is decided. A new decision reverses the earlier one.",
    "Eskalera": "Escalate", "Svara": "Reply", "Hänvisa": "Refer", "Spara beslut": "Save decision",
    "Avsändarens historik": "The author's record", "Förslag: blockera kontot": "Proposal: block the account",
    "Bekräfta blockering": "Confirm block", "Tidigare regelbrott": "Earlier violations",
    "Åtgärder mot kontot": "Measures against the account", "förslag": "proposal",
    "Inga tidigare åtgärder.": "No earlier measures.",
    "%(n)s prick de senaste 90 dagarna": ("%(n)s strike in the last 90 days", "%(n)s strikes in the last 90 days"),
    "Du granskar": "You are reviewing", "Släpp inlägget": "Release the item", "Börja granska": "Start reviewing",
    "Reserverat för dig till %(until)s.": "Reserved for you until %(until)s.",
    "Hanteras av %(who)s till %(until)s.": "Handled by %(who)s until %(until)s.",
    "Du har släppt inlägget.": "You released the item.",
    "Beslutet kunde inte sparas: rätta felen i formuläret.": "The decision was not saved: correct the form.",
    "Beslutet om inlägg %(pk)s är sparat: %(action)s.": "The decision on item %(pk)s is saved: %(action)s.",
    "Skriv varför beslutet ångras.": "Write why the decision is undone.",
    "Beslutet är ångrat genom ett nytt beslut.": "The decision is undone by a new decision.",
    "Blockeringen är bekräftad.": "The block is confirmed.",
    # author page
    "Avsändare": "Author", "Användarnamn": "Username", "Plattformens id": "Platform id", "Först sedd": "First seen",
    "Prickar": "Strikes", "Blockerad": "Blocked", "Inga inlägg.": "No items.", "Inga beslut.": "No decisions.",
    "prick": "strike", "bekräftad": "confirmed", "Inga åtgärder.": "No measures.", "Varna": "Warn",
    "Registrera varning": "Record warning", "Häv blockering": "Lift block", "Blockera": "Block",
    "Föreslå blockering": "Propose block", "Interna anteckningar": "Staff notes",
    "Spara anteckningar": "Save notes", "Anteckningarna är sparade.": "The notes are saved.",
    "Varningen är registrerad.": "The warning is recorded.",
    "Blockeringen är föreslagen: bekräfta den nedan.": "The block is proposed: confirm it below.",
    "Blockeringen är hävd.": "The block is lifted.", "Fyll i skälet.": "Give the reason.",
    # reports and police
    "Anmälningar": "Reports", "Att hantera (inget inlägg hittat)": "To triage (no item found)", "Alla": "All",
    "Inkom": "Received", "Via": "Via", "Innehåll": "Content", "Regel": "Rule", "Status": "Status", "Hantera": "Handle",
    "Meddelande:": "Message:", "Inlägg": "Item", "Inläggets nummer": "Item number", "Koppla": "Match",
    "Avfärda": "Dismiss", "Inga anmälningar.": "No reports.",
    "Registrera en anmälan som kom via e-post eller privat meddelande":
        "Record a report that came by e-mail or private message",
    "Registrera anmälan": "Record report", "Urval": "Selection",
    "Anmälan är registrerad och kopplad till inlägg %(pk)s.": "The report is recorded and matched to item %(pk)s.",
    "Anmälan är registrerad och väntar på hantering.": "The report is recorded and waits for triage.",
    "Inlägg %(pk)s finns inte bland dina kanaler.": "Item %(pk)s is not in your channels.",
    "Anmälan är kopplad till inlägget.": "The report is matched to the item.",
    "Anmälan är avfärdad.": "The report is dismissed.",
    "Polisanmälan": "Police report", "Polisanmälningar": "Police reports", "Anmäld den": "Reported on",
    "Polisens diarienummer": "Police reference", "Anteckning": "Note", "Upprättad av": "Drawn up by",
    "Uppdatera": "Update", "Spara": "Save", "Anmälan": "Report", "Skapad": "Created",
    "Hot och andra brott polisanmäls. Upprätta en anmälan från inläggets sida.":
        "Threats and other crimes are reported to the police. Draw up a report from the item's page.",
    "Inga polisanmälningar.": "No police reports.", "Gäller": "Concerns", "från": "from",
    "Spara som utkast": "Save as draft",
    "Öppna inlägget som ska polisanmälas och välj ”Upprätta polisanmälan”.":
        "Open the item to report and choose “Draw up a police report”.",
    "Polisanmälan är upprättad som utkast.": "The police report is drawn up as a draft.",
    "Polisanmälan är uppdaterad.": "The police report is updated.",
    # configuration
    "Konfiguration": "Configuration", "Regler": "Rules", "Ny regel": "New rule", "Kod": "Code", "Rubrik": "Title",
    "Följd": "Consequence", "Gäller från": "Valid from", "Publicerad": "Published", "Aktiv": "Active",
    "Svarsmallar": "Reply templates", "Ny svarsmall": "New reply template", "Namn": "Name", "Syfte": "Purpose",
    "Inga svarsmallar.": "No reply templates.", "ja,nej": "yes,no", "Automatisk granskning": "Automatic screening",
    "Ny automatisk granskning": "New automatic screening", "Typ": "Type", "Kanaler": "Channels", "Ändrad": "Changed",
    "Inga automatiska granskningar.": "No automatic screenings.", "Senaste omgranskningar": "Latest re-screenings",
    "inlägg": "items", "nya flaggor": "new flags", "pågår": "running", "Inga ännu.": "None yet.", "Tillbaka": "Back",
    "Version %(v)s. En ändrad text blir en ny version; beslut behåller texten de fattades med.":
        "Version %(v)s. A changed text becomes a new version; decisions keep the text they were made under.",
    "Kanalernas inloggningsuppgifter ändras på kanalens sida för inloggningsuppgifter eller i administrationen; "
    "de visas aldrig här.":
        "Channel credentials are changed on the channel's credentials page or in the admin; they are never shown here.",
    "Plattform": "Platform", "Enhet": "Unit", "Inloggningsuppgifter": "Credentials", "Ändra": "Change",
    "Hälsa": "Health", "Uppgifter": "Credentials", "Administration": "Administration", "Inga kanaler.": "No channels.",

    "Regeln %(code)s är sparad (version %(v)d).": "The rule %(code)s is saved (version %(v)d).",
    "Granskningen ”%(name)s” är sparad. Lagrade inlägg granskas om; nya träffar hamnar i kön.":
        "The screening “%(name)s” is saved. Stored items are screened again; new hits go to the queue.",
    "Svarsmallen ”%(name)s” är sparad.": "The reply template “%(name)s” is saved.",
    # public pages
    "Anmäl olämpligt innehåll": "Report inappropriate content",
    "Anmäl inlägg eller kommentarer på kommunens konton som bryter mot reglerna. Du behöver inte logga in och inte "
    "uppge vem du är.":
        "Report posts or comments on the municipality's accounts that break the rules. You need not sign in or say "
        "who you are.",
    "Läs reglerna": "Read the rules",
    "Dina kontaktuppgifter används bara för att svara på anmälan. Anmälan blir en allmän handling.":
        "Your contact details are used only to answer the report. The report becomes a public document.",
    "Skicka anmälan": "Send report", "Våra konton och regler": "Our accounts and rules",
    "Kommunens konton i sociala medier": "The municipality's social media accounts",
    "Kommunen har inga aktiva konton just nu.": "The municipality has no active accounts at the moment.",
    "Regler för kommentarer och inlägg": "Rules for comments and posts",
    "Inlägg och kommentarer får inte innehålla:": "Posts and comments must not contain:",
    "Om något av ovanstående förekommer tar vi bort inlägget omgående. Vid upprepade regelbrott blockeras kontot. "
    "Hot och andra brott polisanmäls.":
        "If any of the above occurs we remove the post promptly. Repeated violations lead to the account being "
        "blocked. Threats and other crimes are reported to the police.",
    "Det här är inga regelbrott, men vi hänvisar eller svarar": "Not violations, but we refer or reply",
    "Allmänna handlingar": "Public documents",
    "Här är de konton kommunen och dess förvaltningar använder. Kommentarer och meddelanden till kontona är "
    "allmänna handlingar. Kommunen håller kontona under uppsikt och tar bort inlägg som bryter mot reglerna nedan.":
        "These are the accounts the municipality and its departments use. Comments and messages to them are public "
        "documents. The municipality keeps the accounts under watch and removes posts that break the rules below.",
    "version %(v)s, gäller från %(d)s": "version %(v)s, in force from %(d)s",
    "Ser du något som bryter mot reglerna? <a href=\"%(url)s\">Anmäl det här</a>, mejla kommunen eller skicka ett "
    "privat meddelande till kontot.":
        "Do you see something that breaks the rules? <a href=\"%(url)s\">Report it here</a>, e-mail the "
        "municipality or send a private message to the account.",
    "Registrerade handlingar finns i <a href=\"%(url)s\">postlistan</a>.":
        "Registered documents are listed in the <a href=\"%(url)s\">registry</a>.",
    "Tack för din anmälan": "Thank you for your report",
    "Vi har tagit emot din anmälan. Så här går det till:": "We have received your report. This is what happens next:",
    "En moderator på den förvaltning som ansvarar för kontot granskar innehållet, oftast samma arbetsdag.":
        "A moderator in the department that runs the account reviews the content, usually the same working day.",
    "Bryter innehållet mot reglerna sparas det och tas sedan bort från kontot. Hot och andra brott polisanmäls.":
        "If the content breaks the rules it is stored and then removed from the account. Threats and other crimes "
        "are reported to the police.",
    "Om du lämnade kontaktuppgifter kan vi höra av oss om vi behöver veta mer.":
        "If you left contact details we may get in touch if we need to know more.",
    "Din anmälan är en allmän handling.": "Your report is a public document.",
    "Tillbaka till kommunens konton och regler": "Back to the municipality's accounts and rules",
    "Kopiera adressen till inlägget eller kommentaren.": "Copy the address of the post or comment.",
    "Eller skriv av texten": "Or copy the text", "Vilken regel bryter innehållet mot?": "Which rule does it break?",
    "Vet inte": "Don't know",
    "Din e-postadress eller ditt telefonnummer (frivilligt)": "Your e-mail address or phone number (optional)",
    "Bara om du vill att vi ska kunna kontakta dig.": "Only if you want us to be able to contact you.",
    "Meddelande (frivilligt)": "Message (optional)", "Lämna det här fältet tomt": "Leave this field empty",
    "Ange en länk till innehållet eller skriv av texten.": "Give a link to the content or copy its text.",
    "Anmälan kunde inte tas emot. Lämna fältet ”Lämna det här fältet tomt” tomt och försök igen.":
        "The report could not be accepted. Leave the field “Leave this field empty” empty and try again.",
    "Formuläret har gått ut. Fyll i det igen och skicka.": "The form has expired. Fill it in again and send it.",
    "Formuläret skickades för snabbt. Vänta några sekunder och skicka igen.":
        "The form was sent too quickly. Wait a few seconds and send it again.",
    "Du har skickat många anmälningar på kort tid. Vänta en stund och försök igen, eller mejla kommunen.":
        "You have sent many reports in a short time. Wait a while and try again, or e-mail the municipality.",
    # dashboard
    "Visa siffrorna som tabell": "Show the figures as a table",
    "Till borttagning på plattformen (minuter)": "To removal on the platform (minutes)", "Vecka": "Week",
    "Median": "Median", "90:e percentil": "90th percentile", "Antal": "Count",
    "Äldsta väntande inlägg:": "Oldest waiting item:", "Inga inlägg väntar.": "No items waiting.",
    "%(channel)s median": "%(channel)s median", "%(channel)s 90:e percentil": "%(channel)s 90th percentile",
    "Tid till borttagning per vecka": "Time to removal per week",
    "Minuter från att ett inlägg kom in till beslut om borttagning: median och 90:e percentil per kanal och vecka, "
    "de senaste 12 veckorna.":
        "Minutes from an item's arrival to the removal decision: median and 90th percentile per channel and week, "
        "the last 12 weeks.",
    "minuter": "minutes", "vecka": "week", "Köns storlek de senaste 30 dagarna": "Queue size over the last 30 days",
    "Antal inkomna inlägg som väntade på beslut vid slutet av varje dag.":
        "Incoming items waiting for a decision at the end of each day.",
    "Väntande inlägg": "Waiting items", "dag": "day", "Tid till borttagning": "Time to removal",
    "Tid till borttagning (minuter)": "Time to removal (minutes)",
    "Inga borttagna inlägg de senaste 12 veckorna.": "No removed items in the last 12 weeks.",
    "Köns storlek": "Queue size", "Väntande inlägg per dag": "Waiting items per day", "Inga inlägg ännu.": "No items yet.",
}
