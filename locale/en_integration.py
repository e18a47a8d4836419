"""English for strings added while integrating issues 12 and 13 (hardening, live queue, disclosure
refusal kinds). Merged by locale/fill_en.py."""

EN = {
    "Ogiltigt val: %(pk)s finns inte.": "Invalid choice: %(pk)s does not exist.",
    "Inlägg %%(pk)s: %%(action)s.": "Item %%(pk)s: %%(action)s.",
    "Inlägg som kollegor hanterat har tagits bort ur listan: %%(n)s.":
        "Items handled by colleagues were removed from the list: %%(n)s.",
    "Nya inlägg i listan: %%(n)s.": "New items in the list: %%(n)s.",
    "Du har tagit inlägg %%(pk)s.": "You have claimed item %%(pk)s.",
    "Antal inlägg i fliken: %%(n)s": "Items in the tab: %%(n)s",
    "Message-ID": "Message-ID",
    'T.ex. "Raderade kommentarer på kommunens sociala medier {year}". Tomt = inget löpande ärende.':
        'E.g. "Deleted comments on the municipality\'s social media {year}". Empty = no running case.',
    "Ett förslag med sekretessbelagd information kan inte avböjas: sekretessbelagda uppgifter ska alltid "
    "registreras (OSL 5 kap. 1 §).":
        "A proposal with confidential information cannot be declined: confidential information must always be "
        "registered (OSL 5 kap. 1 §).",
    "Avböj": "Decline",
    "Vägra: diarieförd": "Refuse: registered",
    "Vägra: hålls ordnad": "Refuse: kept in order",
    "Vägra: spärrad": "Refuse: on hold",
    "Gallra på förfallodagen": "Purge on the due date",
    "Fanns inte längre": "No longer existed",
    "E-arkivets scheman (FGS/E-ARK) saknas på servern, så paketet kan inte valideras. Be systemförvaltaren sätta "
    "UPPSIKT_SCHEMAS_DIR.":
        "The e-archive schemas (FGS/E-ARK) are missing on the server, so the package cannot be validated. Ask the "
        "administrator to set UPPSIKT_SCHEMAS_DIR.",
}
