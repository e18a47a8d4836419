"""English for the statistics for the annual report (moderation/statistics) and the layout work (issue 13.7, 13.8)."""

EN = {
    "Statistik": "Statistics",
    "Statistik för årsredovisningen": "Statistics for the annual report",
    "Statistik för årsredovisningen: %(period)s": "Statistics for the annual report: %(period)s",
    "Får se statistik för årsredovisningen": "May view the statistics for the annual report",
    "Siffrorna för moderering gäller de kanaler du har behörighet till. Diariet, begäran om allmän handling, "
    "registrerades rättigheter och gallring gäller hela kommunen och visas för de roller som får läsa dem.":
        "The moderation figures cover the channels you may see. The diarium, requests for public documents, "
        "data subjects' rights and purging cover the whole municipality and are shown to the roles that may "
        "read them.",
    "Välj period och urval": "Choose period and selection",
    "Visa": "Show", "Ladda ner som CSV": "Download as CSV", "Ladda ner som PDF": "Download as PDF",
    "Perioden %(start)s – %(end)s.": "The period %(start)s – %(end)s.",
    "Diagram": "Charts", "Inga uppgifter för perioden.": "No figures for the period.",
    "Visa siffrorna som tabell": "Show the figures as a table",
    "År": "Year", "Kvartal": "Quarter", "Kanal": "Channel", "Enhet": "Unit", "Hela året": "The whole year",
    "Kvartal 1": "Quarter 1", "Kvartal 2": "Quarter 2", "Kvartal 3": "Quarter 3", "Kvartal 4": "Quarter 4",
    "Alla kanaler": "All channels", "Alla enheter": "All units",
    "Kvartal %(q)s %(year)s": "Quarter %(q)s %(year)s", "År %(year)s": "Year %(year)s",
    "Året måste vara mellan 2000 och 2100.": "The year must be between 2000 and 2100.",
    "Kvartalet måste vara 1, 2, 3 eller 4.": "The quarter must be 1, 2, 3 or 4.",
    "Per kanal": "Per channel", "Per enhet": "Per unit", "Per regel": "Per rule", "Totalt": "Total",
    "Inlägg": "Items", "Flaggor": "Flags", "Beslut": "Decisions", "Borttagningar": "Removals",
    "Median till borttagning (min)": "Median to removal (min)", "90:e percentil (min)": "90th percentile (min)",
    "Blockeringar": "Blocks", "Polisanmälningar": "Police reports", "Regel": "Rule",
    "Beslut som anger regeln": "Decisions citing the rule",
    "Ett beslut kan ange flera regler och räknas då under var och en.":
        "A decision may cite several rules and is then counted under each.",
    "Diarieförda handlingar per skäl": "Registered documents by reason", "Skäl": "Reason", "Antal": "Number",
    "Begäran om allmän handling": "Requests for public documents", "Mått": "Measure", "Inkomna": "Received",
    "Prövade": "Reviewed", "Prövade inom tidsfristen": "Reviewed within the deadline",
    "Andel prövade inom tidsfristen (%)": "Share reviewed within the deadline (%)",
    "Ej prövade, tidsfristen passerad": "Not reviewed, deadline passed",
    "Begäran från registrerade (GDPR)": "Requests from data subjects (GDPR)", "Slag": "Kind",
    "Besvarade": "Answered", "Besvarade inom tidsfristen": "Answered within the deadline",
    "Gallring": "Purging", "Verkställda gallringslistor": "Purge lists executed", "Gallrade objekt": "Objects purged",
    "Gallrade: %(what)s": "Purged: %(what)s", "Övrigt": "Other", "%(title)s (forts.)": "%(title)s (cont.)",
    "Inkomna inlägg per kanal": "Incoming items per channel",
    "Antal inkomna inlägg per kanal, %(period)s.": "Number of incoming items per channel, %(period)s.",
    "Borttagningar per kanal": "Removals per channel",
    "Antal borttagna inlägg per kanal, %(period)s.": "Number of items removed per channel, %(period)s.",
    "Median tid till borttagning per kanal": "Median time to removal per channel",
    "Minuter från att ett inlägg kom in till beslut om borttagning (median), %(period)s.":
        "Minutes from an item's arrival to the decision to remove it (median), %(period)s.",
    "Borttagningar per regel": "Removals per rule",
    "Antal borttagningar som anger regeln, %(period)s.": "Number of removals citing the rule, %(period)s.",
    "Antal diarieförda handlingar per skäl, %(period)s.": "Number of registered documents by reason, %(period)s.",
    "inlägg": "items", "borttagningar": "removals", "minuter": "minutes", "handlingar": "documents",
    "Period": "Period", "Framtagen": "Produced",
    "Inlägg och borttagningar per månad": "Items and removals per month",
    "Inkomna inlägg och borttagna inlägg per månad, %(period)s.":
        "Incoming items and items removed per month, %(period)s.",
    "Inkomna inlägg": "Incoming items", "månad": "month",
}
