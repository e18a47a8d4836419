"""English for the diarium helper's strings: main-diarium fit and export, archive receipts and reports,
the case picker and bulk registration, sender kinds, police report registration, the legal basis of
names on the item page."""

EN = {
    # item page: legal basis for names (GDPR art. 6.1 e) beside the policy's words
    "Rättslig grund för namnet": "Legal basis for the name",
    "Kommunens policy om interaktion": "The municipality's policy on interaction",
    "Samtycke till bilder och personuppgifter i inlägget": "Consent to pictures and personal data in the post",
    "Allmänt intresse och myndighetsutövning (dataskyddsförordningen art. 6.1 e)":
        "Public interest and exercise of official authority (GDPR art. 6(1)(e))",
    "Kommunen visar och bevarar namnet eftersom kommentarer på kommunens konton är allmänna handlingar som "
    "kommunen ska ta emot, hålla ordnade och bevara. Den rättsliga grunden är inte samtycke.":
        "The municipality shows and keeps the name because comments on its accounts are public records it must "
        "receive, keep in order and preserve. The legal basis is not consent.",
    # police reports
    "upprättad handling till Polisen": "document drawn up, sent to the police",
    "Föreslagen för diarieföring (väntar hos registratorn)": "Proposed for registration (awaiting the registrar)",
    "Diarieförs när anmälan skickas": "Registered when the report is submitted",
    "Diarieförd": "Registered", "Polisanmälan": "Police report",
    # archive deliveries and receipts
    "Mottaget av arkivet": "Received by the archive",
    "Dagen då e-arkivet bekräftade att paketet tagits emot.": "The day the e-archive confirmed receiving the package.",
    "Arkivets referens": "Archive's reference",
    "T.ex. leveransens id eller diarienummer i e-arkivet.": "E.g. the delivery's id or reference in the e-archive.",
    "Anteckning (valfritt)": "Note (optional)",
    "paketets id": "package id", "kontrollsumma för METS.xml (SHA-256)": "checksum of METS.xml (SHA-256)",
    "antal handlingar": "number of documents", "paketet skapat": "package created", "skapat av": "created by",
    "mottaget av arkivet": "received by the archive", "arkivets referens": "archive's reference",
    "anteckning om kvittensen": "note on the receipt", "kvittens registrerad av": "receipt recorded by",
    "kvittens registrerad": "receipt recorded", "leverans till e-arkiv": "delivery to the e-archive",
    "leveranser till e-arkiv": "deliveries to the e-archive",
    "Väntar på arkivets kvittens": "Awaiting the archive's receipt",
    "Paket som väntar på kvittens": "Packages awaiting a receipt", "Paket": "Package", "Skapat": "Created",
    "Inga paket väntar på kvittens.": "No packages await a receipt.",
    "Arkivbeskrivning och arkivförteckning": "Archive description and inventory",
    "Skapas ur informationshanteringsplanen, diariet och leveranserna, som PDF/A.":
        "Generated from the information management plan, the register and the deliveries, as PDF/A.",
    "Ladda ner arkivbeskrivningen (PDF)": "Download the archive description (PDF)",
    "Ladda ner arkivförteckningen (PDF)": "Download the archive inventory (PDF)",
    "Ärendet och dess handlingar skrivs som ett E-ARK SIP-paket (FGS Paketstruktur 2.0) med METS.xml, CITS ERMS 3 "
    "och handlingarnas innehåll som text och PDF/A-2b. Paketet valideras innan det laddas ner.":
        "The case and its documents are written as an E-ARK SIP package (FGS Paketstruktur 2.0) with METS.xml, "
        "CITS ERMS 3 and the documents' content as text and PDF/A-2b. The package is validated before download.",
    "Leveransen registreras på ärendet. Ärendet blir levererat när arkivets kvittens registreras.":
        "The delivery is recorded on the case. The case becomes delivered when the archive's receipt is recorded.",
    "Ärendet är inte ett avslutat ärende att bevara; exporten blir en kopia och registreras inte som leverans.":
        "The case is not a closed case to keep; the export is a copy and is not recorded as a delivery.",
    "Ange datum och arkivets referens för kvittensen.": "Give the date and the archive's reference for the receipt.",
    "Kvittensen är registrerad; ärendet är levererat till e-arkivet.":
        "The receipt is recorded; the case is delivered to the e-archive.",
    "Paket som lämnats till e-arkivet": "Packages handed to the e-archive",
    "Kvittens registrerad av": "Receipt recorded by", "väntar på kvittens": "awaiting receipt",
    "Registrera arkivets kvittens": "Record the archive's receipt", "Registrera kvittens": "Record receipt",
    "Leverans till e-arkiv": "Delivery to the e-archive", "Levererat till e-arkiv": "Delivered to the e-archive",
    "Skapa först ett arkivpaket av ärendet och lämna det till e-arkivet.":
        "First create an archive package of the case and hand it to the e-archive.",
    "Ärendet ska inte bevaras enligt informationshanteringsplanen och levereras därför inte till e-arkivet.":
        "The information management plan does not keep this case, so it is not delivered to the e-archive.",
    # the case picker, running case, bulk registration
    "Sök på diarienummer eller ärendemening. Det löpande ärendet för skälet står först.":
        "Search by reference number or case title. The running case for the reason comes first.",
    "Sök på diarienummer eller ärendemening.": "Search by reference number or case title.",
    "Sök på diarienummer eller ärendemening": "Search by reference number or case title",
    "Välj ett ärende.": "Choose a case.", "Välj ett öppet ärende i listan.": "Choose an open case in the list.",
    "Ärenden att välja bland": "Cases to choose from", "Löpande ärende": "Running case",
    "Årets löpande ärende för skälet öppnas: ”%(t)s”": "This year's running case for the reason is opened: “%(t)s”",
    "Inga öppna ärenden matchar sökningen.": "No open cases match the search.", "Inga öppna ärenden.": "No open cases.",
    "löpande ärende (ärendemening)": "running case (case title)", "löpande ärende": "running case",
    "Ett löpande ärende öppnas i standardserien: välj en.": "A running case is opened in the default series: choose one.",
    "Ärende för de markerade förslagen": "Case for the selected proposals",
    "Diarieförs ett i taget med lagrum": "Registered one at a time with a legal ground",
    "Markera %(label)s": "Select %(label)s", "Markera": "Select",
    "Diarieför markerade förslag i ett ärende": "Register the selected proposals in one case",
    "Alla markerade diarieförs i samma ärende i en och samma registrering, med nummer i inkorgens ordning. Förslag "
    "med sekretess diarieförs ett i taget.":
        "All selected proposals are registered in the same case in one registration, numbered in the inbox's "
        "order. Proposals with secrecy are registered one at a time.",
    "Diarieför markerade": "Register selected", "Ny handling": "New document",
    "Inget diariefördes: %(p)s": "Nothing was registered: %(p)s",
    "%(n)s förslag diarieförda: %(first)s – %(last)s.": "%(n)s proposals registered: %(first)s – %(last)s.",
    "Befintligt ärende": "Existing case", "Ärende": "Case",
    # sender kinds
    "Avsändaren/mottagaren är": "The sender/recipient is",
    "Privatpersoners namn visas inte i postlistan; företags, organisationers och myndigheters namn visas.":
        "Private persons' names are not shown on the public register; companies', organisations' and "
        "authorities' names are.",
    "Privatpersoners namn visas inte i den publika postlistan; företags, organisationers och myndigheters namn visas.":
        "Private persons' names are not shown on the public register; companies', organisations' and "
        "authorities' names are.",
    "Privatperson": "Private person", "Företag eller organisation": "Company or organisation",
    "Myndighet": "Public authority", "Okänt (kan vara en privatperson)": "Unknown (may be a private person)",
    "avsändarens/mottagarens art": "kind of sender/recipient",
    # the main diarium: postlista and export
    "Export till huvuddiariet": "Export to the main register",
    "Postlistan visar handlingarna i %(name)s – det diarium där %(org)s registrerar det som kommer in till och "
    "skickas från kommunens konton i sociala medier.":
        "This public register lists the documents in %(name)s – the register where %(org)s records what comes "
        "in to and goes out from the municipality's social media accounts.",
    "Diarieserier:": "Series:",
    "Kommunens övriga handlingar registreras i huvuddiariet (%(system)s).":
        "The municipality's other documents are registered in its main register (%(system)s).",
    "Kommunens övriga handlingar registreras i kommunens huvuddiarium.":
        "The municipality's other documents are registered in its main register.",
    "Huvuddiariets postlista": "The main register's public list",
    "Registrerade från och med": "Registered from", "till och med": "to",
    "Till-datumet ligger före från-datumet.": "The end date is before the start date.",
    "Högst ett år åt gången här; använd kommandot export_registrations för längre perioder.":
        "At most one year at a time here; use the export_registrations command for longer periods.",
    "Vad exporten innehåller": "What the export contains",
    "En fil per registrering för import i kommunens huvuddiarium: registreringens uppgifter enligt OSL 5 kap. 2 § "
    "(datum då handlingen kom in eller upprättades, diarienummer, avsändare eller mottagare, kort beskrivning) som "
    "JSON, och handlingen med innehållet som PDF/A. Dessutom en förteckning över alla registreringar som CSV "
    "(semikolonseparerad) och JSON.":
        "One file per registration for import into the municipality's main register: the entry required by OSL "
        "5:2 (date received or drawn up, reference number, sender or recipient, short description) as JSON, and "
        "the document with its content as PDF/A. Also a list of all registrations as CSV (semicolon-separated) "
        "and JSON.",
    "Sekretessbelagda uppgifter utelämnas i registreringens uppgifter och markeringarna anges med lagrum. "
    "Makulerade och gallrade registreringar kommer med och är markerade, så att inget nummer saknas.":
        "Secret information is left out of the entries and the markings are given with their legal ground. "
        "Voided and purged registrations are included and marked, so no number is missing.",
    "Period": "Period",
    "%(n)s registrering i perioden.": ("%(n)s registration in the period.", "%(n)s registrations in the period."),
    "Skapa och ladda ner exporten (ZIP)": "Create and download the export (ZIP)",
    # navigation
    "Registrera handling": "Register document", "Registrera handling i": "Register document in",
}
