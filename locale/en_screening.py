"""English for the strings added by issue 10 (screening a municipality can trust)."""

EN = {
    "Precision": "Precision",
    "Täckning": "Recall",
    "Flaggade (30 d)": "Flagged (30 d)",
    "Dolda (30 d)": "Held (30 d)",
    "Felaktigt dolda (30 d)": "Wrongly held (30 d)",
    "ej uppmätt": "not measured",
    "flaggar: precisionen räcker inte för att dölja": "flags: the precision is too low to hold",
    "%(n)s träff": ("%(n)s hit", "%(n)s hits"),
    "Precision och täckning är uppmätta på en märkt korpus av svenska kommentarer när granskningen sparades. En "
    "granskning får dölja inlägg före granskning bara med precision minst %(p)s på minst %(n)s träffar; annars "
    "flaggar den. Kolumnerna för 30 dagar räknar inlägg; ett felaktigt döljande är ett dolt inlägg som en moderator "
    "behöll.":
        "Precision and recall are measured on a labelled corpus of Swedish comments when the check is saved. A "
        "check may hide items before review only with a precision of at least %(p)s on at least %(n)s hits; "
        "otherwise it flags. The 30-day columns count items; a wrong hold is a held item that a moderator kept.",
    "Ogiltig term %(t)s: %(e)s": "Invalid term %(t)s: %(e)s",
    "böjningsformer": "inflected forms",
    "nyckel för böjningsformer": "key of the inflected forms",
    "uppmätt precision": "measured precision",
    "uppmätt täckning": "measured recall",
    "träffar i utvärderingen": "hits in the evaluation",
    "utvärderad": "evaluated",
    "dolde inlägget": "held the item",
    "En per rad. Ord matchar hela ord med böjningsformer (fitta → fittan, fittor); =fan bara exakt det ordet; "
    "porr* = början av ord; *jävel = slutet av sammansatta ord; fraser ord för ord med alternativ: "
    "ska (döda|mörda) (dig|er). För mönster: reguljära uttryck; för länkar: domäner.":
        "One per line. Words match whole words with their inflections (fitta → fittan, fittor); =fan only exactly "
        "that word; porr* = the start of words; *jävel = the end of compounds; phrases word by word with "
        "alternatives: ska (döda|mörda) (dig|er). For patterns: regular expressions; for links: domains.",
    "En per rad: ord eller domäner som aldrig flaggas (t.ex. Fittja). ”kuk: Kukkola, Kuksu” gäller bara "
    "termen kuk.":
        "One per line: words or domains that are never flagged (e.g. Fittja). “kuk: Kukkola, Kuksu” applies to "
        "the term kuk only.",
}
