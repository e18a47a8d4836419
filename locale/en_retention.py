"""English for the retention, purge, holds, GDPR and e-archive pages (records/*_retention, views/gdpr)."""

EN = {
    "Aktiv": "Active", "Aktiva spärrar": "Active holds", "Alla": "All",
    "Ange skäl för att häva spärren.": "Give a reason for releasing the hold.",
    "Ange skäl för att undanta raden.": "Give a reason for excluding the line.",
    "Antal": "Count", "Arkiv och gallring": "Archive and disposal", "Arkivets sidor": "Archive pages",
    "Avbryt": "Cancel", "Avbryt listan": "Cancel the list",
    "Avslutade ärenden vars gallringsklass säger att de ska bevaras. En leverans skriver ett E-ARK SIP-paket "
    "(FGS Paketstruktur 2.0) med ärendet och handlingarna i CITS ERMS 3.":
        "Closed cases whose retention class says keep. A delivery writes an E-ARK SIP package (FGS Package "
        "structure 2.0) with the case and its documents in CITS ERMS 3.",
    "Avslutat": "Closed", "Begäran": "Request", "Begäran %(r)s är registrerad.": "Request %(r)s is registered.",
    "Begäranden": "Requests", "Benämning": "Name", "Beslut": "Decision",
    "Bevaras eller bedöms manuellt": "Kept or judged manually", "Bevaras/gallras": "Keep/dispose",
    "Brev och beslut": "Letters and decisions", "Den registrerade": "Data subject",
    "Den registrerades namn": "Data subject's name", "Diarieförd": "Registered", "Diarienummer": "Reference number",
    "Du har föreslagit listan. En annan arkivarie ska godkänna den (fyraögonsprincipen).":
        "You proposed this list. Another archivist must approve it (four-eyes principle).",
    "Du har handlagt begäran. En annan arkivarie ska godkänna raderingen (fyraögonsprincipen).":
        "You handled this request. Another archivist must approve the erasure (four-eyes principle).",
    "E-post": "E-mail", "Ej bestämd": "Not set", "Exportera till e-arkiv": "Export to e-archive",
    "Filtrera": "Filter", "Frist": "Period", "Föreslagen av": "Proposed by",
    "Föreslå gallringslistan": "Propose the disposal list",
    "Föreslå radering av valda träffar": "Propose erasure of the selected hits",
    "Förfallet": "Due", "Förfallet till gallring": "Due for disposal", "Förfallna": "Due", "Förlopp": "Progress",
    "Gallrad": "Disposed of", "Gallrad – gallringsnotering finns": "Disposed of – tombstone kept",
    "Gallrade objekt": "Objects disposed of", "Gallras tidigast": "Disposal due", "Gallring": "Disposal",
    "Gallringen av %(r)s har startat.": "Disposal of %(r)s has started.", "Gallringsbeslut": "Disposal decision",
    "Gallringsdatum": "Disposal date", "Gallringsklass": "Retention class",
    "Gallringsklassen %(c)s är sparad.": "Retention class %(c)s is saved.",
    "Gallringsklassen är ändrad.": "The retention class is changed.", "Gallringsklasser": "Retention classes",
    "Gallringsklasser med antal objekt": "Retention classes with object counts", "Gallringslista": "Disposal list",
    "Gallringslistan %(r)s är avbruten.": "Disposal list %(r)s is cancelled.",
    "Gallringslistan %(r)s är föreslagen. En annan arkivarie ska godkänna den.":
        "Disposal list %(r)s is proposed. Another archivist must approve it.",
    "Gallringslistan %(r)s är godkänd.": "Disposal list %(r)s is approved.",
    "Gallringslistan %(r)s är upprättad.": "Disposal list %(r)s is drafted.",
    "Gallringslistan måste vara godkänd av en andra arkivarie innan den verkställs.":
        "The disposal list must be approved by a second archivist before it is executed.",
    "Gallringslistor": "Disposal lists", "Gallringslogg": "Disposal log", "Gallringslogg (CSV)": "Disposal log (CSV)",
    "Gallringslogg (PDF)": "Disposal log (PDF)", "Gallringsnoteringar": "Tombstones", "Godkänd av": "Approved by",
    "Godkänn gallringslistan": "Approve the disposal list", "Godkänn radering": "Approve erasure",
    "Gäller för": "Applies to", "Gäller till och med": "Valid until", "Handläggare": "Officer", "Historik": "History",
    "Häv": "Release", "Häv spärren": "Release the hold", "Hävd": "Released",
    "Informationshanteringsplan": "Information management plan",
    "Informationshanteringsplanen": "The information management plan", "Inga begäranden.": "No requests.",
    "Inga brev ännu.": "No letters yet.", "Inga gallringslistor ännu.": "No disposal lists yet.",
    "Inga pågående listor.": "No lists in progress.", "Inga spärrar.": "No holds.", "Inga ännu.": "None yet.",
    "Inga ärenden väntar på leverans.": "No cases are waiting for delivery.",
    "Ingen gallring har verkställts ännu.": "No disposal has been executed yet.",
    "Ingen sökning gjord, eller inga träffar.": "No search made, or no hits.",
    "Inget har förfallit till gallring.": "Nothing is due for disposal.", "Inget har förfallit.": "Nothing is due.",
    "Inkom": "Received",
    "Innehållet och personuppgifterna är borttagna; en gallringsnotering finns kvar.":
        "The content and personal data are removed; a tombstone remains.",
    "Klasser som bevaras räknas med men tas aldrig med i en gallringslista. Spärrade objekt och objekt som redan "
    "står på en öppen lista utesluts när listan tas fram.":
        "Classes that are kept are counted but never put on a disposal list. Held objects and objects already on "
        "an open list are left out when the list is drafted.",
    "Kod": "Code", "Kontaktuppgift för svaret": "Contact for the answer", "Ladda ner": "Download",
    "Leverans till e-arkiv": "Delivery to e-archive", "Leverera": "Deliver",
    "Listan innehåller sekretessbelagda handlingar.": "The list contains confidential documents.",
    "Listans historik": "List history", "Lägg spärr": "Place hold", "Namn att söka på": "Name to search for",
    "Ny begäran": "New request", "Ny begäran enligt GDPR": "New GDPR request", "Ny gallringsklass": "New retention class",
    "Objekt": "Object", "Objekt vars gallringsfrist löpt ut senast {{ d }}": "Objects whose retention ran out by {{ d }}",
    "Objekt-id": "Object id", "Objekttyp": "Object type",
    "Objekttyper, en per rad, t.ex. moderation.item eller records.document.":
        "Object types, one per line, e.g. moderation.item or records.document.",
    "Ogiltigt datum.": "Invalid date.", "Omfattar": "Covers", "PDF utan beskrivningar": "PDF without descriptions",
    "Personnummer": "Personal identity number", "Plattformskonto (id eller användarnamn)": "Platform account (id or username)",
    "Pågående gallringslistor": "Disposal lists in progress", "Raden är undantagen.": "The line is excluded.",
    "Rader": "Lines", "Rader i gallringslistan": "Lines of the disposal list", "Radera": "Erase",
    "Radering föreslagen. En annan arkivarie ska godkänna den.": "Erasure proposed. Another archivist must approve it.",
    "Radering godkänd av": "Erasure approved by", "Raderingen är godkänd och genomförd.": "The erasure is approved and done.",
    "Referens": "Reference", "Registerutdrag (JSON)": "Register extract (JSON)", "Registerutdrag (PDF)": "Register extract (PDF)",
    "Registrera begäran": "Register request", "Registrerades rättigheter": "Data subject rights",
    "Registrerades rättigheter (GDPR)": "Data subject rights (GDPR)", "Sekretess": "Secrecy",
    "Sekretess följer handlingarna till arkivmyndigheten (OSL 11 kap. 4 §): innehållet levereras och sekretessen "
    "anges med lagrum i ERMS; sekretessbelagda avsändare och beskrivningar maskeras i metadata.":
        "Secrecy follows the documents to the archive authority (OSL ch. 11 s. 4): the content is delivered and the "
        "secrecy is stated with its legal ground in ERMS; confidential senders and descriptions are masked in the "
        "metadata.",
    "Senast levererade": "Recently delivered", "Senaste gallringsnoteringar": "Latest tombstones",
    "Ska besvaras senast": "Answer due", "Skapa och ladda ner paketet (ZIP)": "Create and download the package (ZIP)",
    "Skäl": "Reason", "Slag": "Kind", "Spara": "Save", "Spärrad": "Held", "Spärrar": "Holds",
    "Spärrar mot gallring": "Legal holds", "Spärren är hävd.": "The hold is released.", "Spärren är lagd.": "The hold is placed.",
    "Status": "Status",
    "Svar ska lämnas inom en månad från ankomst (art. 12.3). Ange de uppgifter den registrerade kan hittas med.":
        "Answer within one month of arrival (art. 12.3). Give the details the data subject can be found by.",
    "Sök i alla register": "Search all registers", "Sökningen gav %(n)s träffar.": "The search found %(n)s hits.",
    "Sökuppgifter": "Search details", "Ta fram gallringslista": "Draft disposal list", "Telefonnummer": "Phone number",
    "Tomt = i dag. Objekt som förfallit senast denna dag tas med.": "Empty = today. Objects due by this day are included.",
    "Tomt = nu.": "Empty = now.", "Tomt = tills vidare.": "Empty = until further notice.", "Träff på": "Matched on",
    "Träffar": "Hits", "Undanta": "Exclude", "Undanta raden": "Exclude the line", "Uppgifter": "Details",
    "Upphov": "Source", "Upprättad": "Drafted", "Ursprungligt datum": "Original date", "Utfall": "Outcome",
    "Verkställ gallringen": "Execute the disposal", "Verkställd": "Executed",
    "Verkställda gallringslistor": "Executed disposal lists", "Visa bara aktiva spärrar": "Show active holds only",
    "Visa förfallna och ta fram gallringslista": "Show what is due and draft a disposal list",
    "Visa spärrar": "Show holds", "Visa ärenden": "Show cases", "Visa även avslutade": "Show closed ones too",
    "Visa även hävda spärrar": "Show released holds too", "Välj": "Select",
    "Välj klass och ange skäl.": "Choose a class and give a reason.", "aktiva spärrar.": "active holds.",
    "avslutade ärenden att bevara är redo att levereras.": "closed cases to keep are ready for delivery.",
    "dagar": "days", "daglig körning": "daily run", "inaktiv": "inactive", "ja": "yes", "ja,nej": "yes,no",
    "nej": "no", "objekt har förfallit i dag.": "objects are due today.", "sekretess": "secrecy",
    "tills vidare": "until further notice",
    "{{ d }} gallrade, {{ r }} vägrade, {{ s }} undantagna, {{ p }} väntar":
        "{{ d }} disposed of, {{ r }} refused, {{ s }} excluded, {{ p }} waiting",
    "{{ n }} aktiva spärrar": "{{ n }} active holds", "{{ n }} listor att godkänna": "{{ n }} lists to approve",
    "{{ n }} utkast till gallringslistor": "{{ n }} draft disposal lists",
    "{{ n }} öppna begäranden enligt GDPR ({{ l }} försenade)": "{{ n }} open GDPR requests ({{ l }} late)",
    "Ändra": "Change", "Ändra gallringsklass": "Change retention class", "Ändra klass": "Change class",
    "Ärendemening": "Case title", "Ärenden redo för leverans": "Cases ready for delivery",
    "Ärendet markeras som levererat till e-arkivet.": "The case is marked as delivered to the e-archive.",
    "Ärendet och dess handlingar skrivs som ett E-ARK SIP-paket (FGS Paketstruktur 2.0) med METS.xml, CITS ERMS 3 "
    "och handlingarnas innehåll som text och PDF. Paketet valideras innan det laddas ner.":
        "The case and its documents are written as an E-ARK SIP package (FGS Package structure 2.0) with METS.xml, "
        "CITS ERMS 3 and the documents' content as text and PDF. The package is validated before download.",
    "Ärendet är inte ett avslutat ärende att bevara och markeras inte som levererat (exporten blir en kopia).":
        "The case is not a closed case to keep and is not marked as delivered (the export is a copy).",
    "Åtgärder": "Actions", "Översikt": "Overview",
}

# Round 2 (issue 9/12): GDPR art. 12/15/17, purge that keeps the diarium, purge batches and workers.
EN.update({
    "Allmän handling": "Public record", "allmän handling": "public record",
    "Allmänna handlingar raderas bara när gallringsklassen tillåter det (dataskyddsförordningen art. 17.3 b, "
    "arkivlagen 10 §). Övriga vägras med skälet angivet per träff.":
        "Public records are erased only when their retention class allows it (GDPR art. 17.3 b, Archives Act "
        "section 10). Other hits are refused with the ground given for each.",
    "Allmänna handlingar som inte får raderas nu gallras den dag gallringsklassen tillåter.":
        "Public records that may not be erased now are purged on the day their retention class allows.",
    "Ange skälet till att tidsfristen förlängs.": "Give the reason for extending the deadline.",
    "Arbetsprocess": "Worker", "arbetsprocess": "worker", "Avsluta": "Close",
    "Begäran gäller inte radering (GDPR art. 17).": "The request is not about erasure (GDPR art. 17).",
    "Begäran är gallrad.": "The request has been purged.",
    "Besked om förlängd tidsfrist (art. 12.3)": "Notice of extended deadline (art. 12.3)", "Besvara": "Answer",
    "Den som föreslagit gallringslistan får inte själv godkänna den (fyraögonsprincipen).":
        "Whoever proposed the purge list may not approve it (four-eyes principle).",
    "Den som handlagt begäran får inte själv godkänna raderingen (fyraögonsprincipen).":
        "Whoever handled the request may not approve the erasure (four-eyes principle).",
    "Du saknar behörighet för den här åtgärden.": "You are not permitted to do this.",
    "Ej raderad nu: gallras på förfallodagen (art. 17.3 b)": "Not erased now: purged on its due date (art. 17.3 b)",
    "Ej raderad: allmän handling som hålls ordnad (art. 17.3 b)":
        "Not erased: public record kept in order (art. 17.3 b)",
    "Fanns inte längre (redan gallrad)": "No longer existed (already purged)",
    "Föreslå för godkännande": "Propose for approval", "Föreslå radering": "Propose erasure",
    "Förläng och skapa brevet": "Extend and create the letter",
    "Förläng tidsfristen (art. 12.3)": "Extend the deadline (art. 12.3)",
    "Förläng tidsfristen med två månader (art. 12.3)": "Extend the deadline by two months (art. 12.3)",
    "Gallra": "Purge", "Gallrad enligt": "Purged under", "gallrad enligt": "purged under",
    "Gallrad enligt %(ref)s": "Purged under %(ref)s", "Gallrad": "Purged", "Makulerad": "Voided",
    "Gallrad enligt informationshanteringsplanen": "Purged under the information management plan",
    "Gallrade": "Purged", "gallrade": "purged",
    "Gallra det som inte får raderas nu den dag gallringsklassen tillåter":
        "Purge what may not be erased now on the day its retention class allows",
    "Gallringslistan %(r)s är ett utkast igen.": "Purge list %(r)s is a draft again.",
    "Godkänn": "Approve", "Klar": "Finished",
    "Listan har inga rader kvar att gallra.": "The list has no lines left to purge.",
    "Omgång": "Batch", "omgång": "batch", "Omgångar": "Batches",
    "omgång i gallring": "purge batch", "omgångar i gallring": "purge batches", "Påbörja": "Begin",
    "Radering prövad av": "Erasure decided by",
    "Raderingen är prövad. Beslutet finns under Brev och beslut.":
        "The erasure has been decided. The decision is under Letters and decisions.",
    "Registerutdrag (art. 15)": "Register extract (art. 15)", "Sök i alla register": "Search all registers",
    "Senaste omgångarna (gallringslogg)": "Latest batches (purge log)",
    "Skäl till förlängningen (den registrerade får veta det)": "Reason for the extension (the data subject is told)",
    "Sökningen är gjord.": "The search is done.",
    "Tidsfristen kan bara förlängas inom en månad från att begäran kom in; den registrerade ska underrättas inom "
    "den tiden (GDPR art. 12.3).":
        "The deadline can only be extended within one month of receiving the request; the data subject must be "
        "told within that time (GDPR art. 12.3).",
    "Tidsfristen kan förlängas en gång, inom en månad från att begäran kom in. Ett brev till den registrerade med "
    "skälet skapas och sparas.":
        "The deadline can be extended once, within one month of receiving the request. A letter to the data subject "
        "with the reason is created and kept.",
    "Tidsfristen är förlängd med två månader. Brevet till den registrerade finns under Brev och beslut.":
        "The deadline is extended by two months. The letter to the data subject is under Letters and decisions.",
    "Tidsfristen är redan förlängd: den kan förlängas en gång, med högst två månader (GDPR art. 12.3).":
        "The deadline is already extended: it can be extended once, by at most two months (GDPR art. 12.3).",
    "Tillbaka till utkast": "Back to draft", "Varför träffen inte raderades, med lagrum.":
        "Why the hit was not erased, with the provision.",
    "Verkställ": "Execute", "Vägra": "Refuse", "Vägrade": "Refused", "vägrade": "refused",
    "Värd och process-id.": "Host and process id.", "Återuppta verkställandet": "Resume execution",
    "antal rader": "number of lines", "förlängd": "extended", "förlängd av": "extended by",
    "första rad": "first line", "sista rad": "last line", "rader": "lines", "Rader": "Lines",
    "gallra vägrade träffar på förfallodagen": "purge refused hits on their due date", "gallras den": "purged on",
    "handlingens id": "record id", "handlingens objekttyp": "record type",
    "ja, diarieförd": "yes, registered", "ja, hålls ordnad": "yes, kept in order",
    "skäl för förlängd tidsfrist": "reason for the extended deadline", "tidsfristen förlängd": "deadline extended",
    "skäl": "reason", "diarienummer": "reference number",
    "gallringsklass": "retention class", "gallras tidigast": "may be purged from", "avgjord": "decided",
    "Skäl": "Reason",
})
