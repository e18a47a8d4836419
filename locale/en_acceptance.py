"""English for the strings added while trying the product end to end (acceptance)."""

EN = {
    "Enter tar bort, Skift+Enter ger ny rad.": "Enter removes, Shift+Enter adds a new line.",
    "Inlägget innehåller hot: överväg en polisanmälan.": "The item contains a threat: consider a police report.",
    "Avsändaren har nått gränsen för prickar: bekräfta blockeringen nedan.":
        "The author has reached the strike limit: confirm the block below.",
    "Träffar": "Matches", "Visa i kön": "Show in the queue", "flaggade inlägg i kön": "flagged items in the queue",
    "återöppnade": "reopened", "Diarieför inlägget": "Register the item",
    "Ärendet har sekretessmarkerade handlingar. Paketet innehåller dem och kan bara skapas av någon med "
    "behörighet att se sekretess (registrator).":
        "The case has documents marked secret. The package contains them and can only be created by someone "
        "allowed to see secret content (registrar).",
}
