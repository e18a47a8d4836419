"""English for the Swedish strings of moderation's back end (filters, API help texts)."""

EN = {
    "Sök i texten": "Search the text",
    "Kanal (kortnamn)": "Channel (slug)",
    "Enhet (kod)": "Unit (code)",
    "Regel (kod)": "Rule (code)",
    "Flaggans källa": "Flag source",
    "Status": "Status",
    "Prioritet": "Priority",
    "Typ": "Kind",
    "Riktning": "Direction",
    "Avsändare (id)": "Author (id)",
    "Sekretessmarkerad": "Marked secret",
    "Mottagen från": "Received from",
    "Mottagen till": "Received until",
    "Plattform": "Platform",
    "Aktiv": "Active",
    "Regelbrott": "Violation",
    "Namn eller id": "Name or id",
    "Blockerad": "Blocked",
    "Inkom via": "Received via",
}
