"""English for notifications (accounts/notifications) and reports by e-mail and private message."""

EN = {
    # notification kinds and e-mail modes
    "Brådskande inlägg i dina enheter (hot, personnummer, vilande)":
        "Urgent items in your units (threats, identity numbers, held)",
    "Eskalering till dig eller din roll": "Escalation to you or your role",
    "Ny begäran om allmän handling": "New request for public documents",
    "Försenad begäran om allmän handling": "Overdue request for public documents",
    "Ny begäran enligt dataskyddsförordningen": "New data-subject request (GDPR)",
    "Dataskyddsbegäran nära eller efter tidsfristen": "Data-subject request near or past its deadline",
    "Gallringslista väntar på ditt godkännande": "Purge list awaiting your approval",
    "Överklagandetiden för ett beslut löper ut": "The appeal period of a decision is ending",
    "Fel på ett konto hos plattformen (behörighet, token)": "An account on a platform fails (permission, token)",
    "Leverans från plattformen som inte kunde behandlas": "A platform delivery that could not be processed",
    "Direkt": "At once", "I den dagliga sammanfattningen": "In the daily digest", "Ingen e-post": "No e-mail",
    # models
    "mottagare": "recipient", "slag": "kind", "rubrik": "title", "text": "text", "länk": "link",
    "Sökväg i Uppsikt.": "Path in Uppsikt.", "läst": "read", "e-post": "e-mail",
    "väntar på sammanfattning": "waiting for the digest", "sammanfattning": "digest", "nyckel": "key",
    "avisering": "notification", "aviseringar": "notifications", "val för aviseringar": "notification settings",
    "jourmedlem": "on-call member", "jourgruppen": "on-call group", "tillagd": "added",
    "Väntar": "Waiting", "Skickas": "Sending", "Skickat": "Sent", "Misslyckades, nytt försök": "Failed, will retry",
    "Gav upp": "Gave up", "Stoppad": "Stopped", "Avisering": "Notification",
    "Daglig sammanfattning": "Daily digest", "adress": "address", "ämne": "subject", "försök": "attempts",
    "nästa försök": "next attempt", "senaste fel": "last error", "påbörjad": "started", "skickad": "sent",
    "e-postutskick": "e-mail delivery", "Försök skicka igen": "Try sending again",
    "Stoppa utskicket": "Stop the delivery", "%(n)s utskick ändrade.": "%(n)s deliveries changed.",
    # pages
    "Aviseringar": "Notifications", "Olästa": "Unread", "Markera alla som lästa": "Mark all as read",
    "Markera som läst": "Mark as read", "oläst": ("unread", "unread"), "Oläst": "Unread",
    "Du har %(n)s oläst avisering.": ("You have %(n)s unread notification.", "You have %(n)s unread notifications."),
    "Välj vad du får med e-post": "Choose what you get by e-mail", "Inga olästa aviseringar.": "No unread notifications.",
    "Inga aviseringar ännu.": "No notifications yet.",
    "kommer i den dagliga sammanfattningen": "comes in the daily digest", "skickad med e-post": "sent by e-mail",
    "%(n)s aviseringar markerade som lästa.": "%(n)s notifications marked as read.",
    "Inställningar för aviseringar": "Notification settings",
    "Dina val för aviseringar är sparade.": "Your notification settings are saved.",
    "ingen adress": "no address",
    "Alla aviseringar visas i listan i Uppsikt. Här väljer du vad som också skickas med e-post till %(address)s.":
        "All notifications are shown in the list in Uppsikt. Here you choose what is also sent by e-mail to "
        "%(address)s.",
    "Kontorstid är vardagar %(start)s–%(end)s. Utanför kontorstid skickas e-post direkt bara till jourgruppen, och "
    "bara om brådskande inlägg, eskaleringar och fel på konton; allt annat kommer i nästa vardags sammanfattning.":
        "Office hours are working days %(start)s–%(end)s. Outside office hours e-mail is sent at once only to the "
        "on-call group, and only about urgent items, escalations and failing accounts; everything else comes in the "
        "next working day's digest.",
    "Du ingår i jourgruppen: utanför kontorstid får du brådskande aviseringar med e-post direkt, oavsett vad du "
    "valt nedan.":
        "You are in the on-call group: outside office hours you get urgent notifications by e-mail at once, "
        "whatever you choose below.",
    # reports
    "Får se anmälarens kontaktuppgift och e-postmeddelande": "May see the reporter's contact and e-mail",
    "meddelande": "message", "meddelandenyckel": "message key", "avsändarens adress": "sender's address",
    "avsändarens namn": "sender's name", "skickat": "sent", "hämtat": "fetched", "brevlåda": "mailbox",
    "UID i brevlådan": "UID in the mailbox", "e-postmeddelandet": "the e-mail", "storlek (byte)": "size (bytes)",
    "gallrad": "purged", "e-post till anmälan": "e-mail of a report", "e-post till anmälningar": "e-mails of reports",
    "Anmälan har inget sparat e-postmeddelande.": "The report has no stored e-mail.",
    "Meddelandet är registrerat som anmälan %(report)s av inlägg %(item)s.":
        "The message is registered as report %(report)s of item %(item)s.",
    "Meddelandet är registrerat som anmälan %(report)s; inget inlägg hittades i det, koppla det under Anmälningar.":
        "The message is registered as report %(report)s; no item was found in it, connect it under Reports.",
    "Från:": "From:", "(inget ämne)": "(no subject)", "E-post, ämne: %(subject)s": "E-mail, subject: %(subject)s",
    "Hämta e-postmeddelandet": "Download the e-mail", "till anmälan %(n)s": "of report %(n)s",
    "Från privat meddelande %(n)s": "From private message %(n)s",
    "Anmälan via privat meddelande": "Report by private message",
    "Meddelandet är registrerat som anmälan %(n)s.": "The message is registered as report %(n)s.",
    "Det anmälda inlägget (%(n)s)": "The reported item (%(n)s)",
    "Anmäler avsändaren något i meddelandet? Registrera det som en anmälan: Uppsikt letar efter inlägget som "
    "meddelandet länkar till eller citerar.":
        "Does the sender report something in the message? Register it as a report: Uppsikt looks for the item the "
        "message links to or quotes.",
    "Gör om till anmälan": "Turn into a report",
    "Anmälningar som mejlas till %(report_address)s registreras här automatiskt; privata meddelanden på Facebook och "
    "Instagram görs om till anmälningar från meddelandets sida.":
        "Reports e-mailed to %(report_address)s are registered here automatically; private messages on Facebook "
        "and Instagram are turned into reports from the message's page.",
    # /konton/
    "Om du själv upptäcker olämpligt innehåll på något av kommunens konton kan du anmäla det:":
        "If you find inappropriate content on one of the municipality's accounts, you can report it:",
    "i formuläret <a href=\"%(url)s\">Anmäl olämpligt innehåll</a>,":
        "in the form <a href=\"%(url)s\">Report inappropriate content</a>,",
    "med e-post till <a href=\"mailto:%(address)s\">%(address)s</a> – skriv gärna länken till inlägget eller kopiera "
    "in texten,":
        "by e-mail to <a href=\"mailto:%(address)s\">%(address)s</a> – include the link to the post or copy its text,",
    "med ett privat meddelande (PM) till kontot, där kanalen har den möjligheten:":
        "by a private message (PM) to the account, where the channel allows it:",
    "med ett privat meddelande (PM) till kontot, där kanalen har den möjligheten.":
        "by a private message (PM) to the account, where the channel allows it.",
    "Anmälan registreras hos kommunen och kopplas till inlägget den gäller. Din e-postadress visas bara för dem som "
    "handlägger anmälningar.":
        "Your report is registered by the municipality and connected to the post it concerns. Your e-mail address "
        "is shown only to those who handle reports.",
    "Synpunkter, felanmälan och frågor till politiker": "Feedback, fault reports and questions to politicians",
    "Har du en synpunkt eller vill felanmäla något ber vi dig använda vår <a href=\"%(url)s\" rel=\"noopener "
    "noreferrer\">e-tjänst för synpunktshantering och felanmälan</a>.":
        "If you have feedback or want to report a fault, please use our <a href=\"%(url)s\" rel=\"noopener "
        "noreferrer\">e-service for feedback and fault reports</a>.",
    "Vill du debattera politik eller fråga en politiker, hittar du <a href=\"%(url)s\" rel=\"noopener noreferrer\">"
    "kontaktuppgifter till politikerna</a> på kommunens webbplats. Kommunens konton är inte en plats för politisk "
    "debatt.":
        "To debate politics or ask a politician, you find <a href=\"%(url)s\" rel=\"noopener noreferrer\">the "
        "politicians' contact details</a> on the municipality's website. The municipality's accounts are not a "
        "place for political debate.",
}
