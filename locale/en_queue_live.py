"""English for the live queue, in-place keyboard decisions, replies as the moderator sees them and
the sanctions (issue 13.2–13.4). Merged by locale/fill_en.py."""

EN = {
    # claims and the live queue
    "Ta": "Take",
    "Inlägget reserveras för dig när du trycker Ta eller fattar ett beslut.":
        "The item is reserved for you when you press Take or make a decision.",
    "%(name)s granskar": "%(name)s is reviewing",
    "%(name)s granskar, %(n)d min kvar": "%(name)s is reviewing, %(n)d min left",
    "Inlägg som kollegor hanterat har tagits bort ur listan: %(n)s.":
        "Items handled by colleagues were removed from the list: %(n)s.",
    "Nya inlägg i listan: %(n)s.": "New items in the list: %(n)s.",
    "Beslutet är ångrat.": "The decision is undone.",
    "Ångrat i kön direkt efter beslutet.": "Undone in the queue right after the decision.",
    "Kontakten med servern bröts: beslutet sparades inte.": "The connection to the server was lost: the decision was not saved.",
    "Du har tagit inlägg %(pk)s.": "You have taken item %(pk)s.",
    "inga valda: flaggornas regler anges": "none selected: the flags' rules are cited",
    "Ångra": "Undo",
    "Antal inlägg i fliken: %(n)s": "Items in the tab: %(n)s",
    "Behåll inlägget": "Keep the item",
    "Inlägget är flaggat för hot, brott eller personnummer. Skriv varför det får vara kvar.":
        "The item is flagged for a threat, a crime or an identity number. Write why it may stay.",
    "Anteckning": "Note",
    "Behåll": "Keep",
    "Kryssa i de regler som beslutet ska hänvisa till. Flaggornas förslag är markerade.":
        "Tick the rules the decision cites. The flags' suggestions are marked.",
    "Beslutet hänvisar till:": "The decision cites:",
    "Ta inlägget (reservera det åt dig)": "Take the item (reserve it for you)",
    "Behåll (ett inlägg flaggat för hot, brott eller personnummer kräver en anteckning)":
        "Keep (an item flagged for a threat, a crime or an identity number needs a note)",
    "Ångra det senaste beslutet (några sekunder efter beslutet)": "Undo the last decision (a few seconds after it)",
    "Visar bara inlägg från %(who)s.": "Showing only items from %(who)s.",
    "Visa alla avsändare": "Show all senders",
    "Avsändarens sida": "The sender's page",
    # decision form and replies
    "Förslag från flaggorna (kryssa själv i det som stämmer):": "Suggested by the flags (tick what applies yourself):",
    "Inlägget är flaggat för hot, brott eller personnummer: att behålla det kräver en anteckning.":
        "The item is flagged for a threat, a crime or an identity number: keeping it needs a note.",
    "Inlägget är flaggat för hot, brott eller personnummer: skriv en anteckning om varför det får vara kvar.":
        "The item is flagged for a threat, a crime or an identity number: write a note on why it may stay.",
    "Mallen fyller i rutan med namn, kanal och länkar. Läs och ändra svaret innan du sparar: det är det som publiceras.":
        "The template fills the box with the name, channel and links. Read and edit the reply before saving: "
        "this is what is published.",
    "Så här publiceras svaret": "This is how the reply is published",
    "Läs svaret och ändra det om det behövs. Inget är skickat ännu: spara beslutet för att skicka det.":
        "Read the reply and edit it if needed. Nothing has been sent yet: save the decision to send it.",
    "Du kan skriva {namn}, {kanal}, {partier} och {e-tjänst}: när mallen väljs fylls de i med avsändarens namn, "
    "kanalen och kommunens länkar.":
        "You can write {namn}, {kanal}, {partier} and {e-tjänst}: when the template is chosen they are filled with "
        "the sender's name, the channel and the municipality's links.",
    # sanctions
    "Avstängning": "Suspension",
    "Förhandsgranskning": "Pre-moderation",
    "Meddelande till avsändaren": "Message to the sender",
    "Skickas som svar på avsändarens senaste inlägg där plattformen tillåter det (Facebook, Instagram); annars "
    "registreras varningen bara.":
        "Sent as a reply to the sender's latest item where the platform allows it (Facebook, Instagram); "
        "otherwise the warning is only recorded.",
    "Antal dagar": "Number of days",
    "Skäl till avstängningen": "Reason for the suspension",
    "Skäl till förhandsgranskning": "Reason for pre-moderation",
    "Skäl till att åtgärden upphör": "Reason for ending the measure",
    "Varningen är registrerad och meddelandet skickas till avsändaren.":
        "The warning is recorded and the message is sent to the sender.",
    "Varningen är registrerad. Plattformen kan inte ta emot meddelandet: skicka det på annat sätt om det behövs.":
        "The warning is recorded. The platform cannot take the message: send it another way if needed.",
    "Avsändaren är avstängd: allt nytt från kontot döljs under %(n)d dagar.":
        "The sender is suspended: everything new from the account is hidden for %(n)d days.",
    "Allt nytt från avsändaren väntar nu på granskning innan det visas.":
        "Everything new from the sender now waits for review before it is shown.",
    "Åtgärden gäller inte längre.": "The measure is no longer in force.",
    "Åtgärden finns inte för avsändaren.": "The measure does not exist for this sender.",
    "Åtgärden har upphört.": "The measure has ended.",
    "till": "until",
    "Låt åtgärden upphöra": "End the measure",
    "Stäng av en tid": "Suspend for a time",
    "Allt nytt från kontot döljs och väntar i ”Dolda” under avstängningen.":
        "Everything new from the account is hidden and waits in \u201cHidden\u201d during the suspension.",
    "Stäng av avsändaren": "Suspend the sender",
    "Förhandsgranska allt från avsändaren": "Pre-moderate everything from the sender",
    "Allt nytt från kontot väntar på granskning innan det visas, tills åtgärden upphör.":
        "Everything new from the account waits for review before it is shown, until the measure ends.",
    "Förhandsgranska avsändaren": "Pre-moderate the sender",
    "Visa avsändarens inlägg i kön": "Show the sender's items in the queue",
    "Samma konto i andra kanaler": "The same account on other channels",
    "Inlägg, beslut och åtgärder nedan gäller kontot i alla kanaler du ansvarar för.":
        "Items, decisions and measures below cover the account on every channel you are responsible for.",
    "Till avsändaren": "To the sender",
    "Skäl": "Reason",
    "Föreslagen": "Proposed",
    "automatiskt vid gränsen för prickar": "automatically at the strike threshold",
    "Beslut om avsändarens inlägg": "Decisions on the sender's items",
    "Tidigare åtgärder mot kontot": "Earlier measures against the account",
    "Förslaget är redan avgjort.": "The proposal has already been settled.",
}
