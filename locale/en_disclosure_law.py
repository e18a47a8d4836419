"""English for the requests-for-public-documents strings of the legal workflow (TF 2 kap., OSL 6 kap.)."""

EN = {
    " (sekretessmarkerad: %(g)s)": " (marked secret: %(g)s)",
    "%(label)s är tillagd och spärrad mot gallring.": "%(label)s is added and held against purging.",
    "Alla beslutsinstanser": "All deciding bodies",
    "Alla enheter (standard)": "All units (default)",
    "Allt som begärs spärras mot gallring direkt, även inlägg och kommentarer som bara hålls ordnade.":
        "Everything requested is held against purging at once, also items and comments that are only kept in order.",
    "Ange inläggens id som siffror, t.ex. 812, 815.": "Give the items' ids as numbers, e.g. 812, 815.",
    "Annat skäl": "Other reason",
    "Avgör vilken beslutsinstans och delegation som gäller.": "Decides which deciding body and delegation apply.",
    "Avslag meddelat med upplysning om myndighetens beslut": "Refusal notified with the offer of the authority's decision",
    "Avsluta": "Close",
    "Avsluta prövningen": "End the review",
    "Begäran %(ref)s är registrerad; de begärda handlingarna är spärrade mot gallring.":
        "Request %(ref)s is registered; the requested records are held against purging.",
    "Begäran kan inte avslutas än:": "The request cannot be closed yet:",
    "Begäran om allmän handling": "Request for public documents",
    "Begäran om myndighetens beslut är registrerad; handlingarna är spärrade mot gallring.":
        "The request for the authority's decision is registered; the records are held against purging.",
    "Besked lämnat": "Answer given",
    "Besked om avslag med upplysning om myndighetens beslut": "Notice of refusal with the offer of the authority's decision",
    "Besked till sökanden om avslag": "Notice of refusal to the requester",
    "Besked utan kopior": "Answer without copies",
    "Beskedet till sökanden är registrerat.": "The answer to the requester is recorded.",
    "Beslutet fattas för %(b)s (%(d)s), diarieförs och kan överklagas hos kammarrätten.":
        "The decision is taken for %(b)s (%(d)s), registered, and can be appealed to the administrative court of appeal.",
    "Beslutsinstans": "Deciding body",
    "Beslutsinstans för utlämnande": "Deciding body for disclosure",
    "Beslutsinstansen är sparad.": "The deciding body is saved.",
    "Beslutsinstanser per enhet": "Deciding bodies per unit",
    "Dag": "Day",
    "Dagen då sökanden fick beslutet är registrerad; överklagandetiden löper.":
        "The day the requester received the decision is recorded; the appeal period runs.",
    "Dagen kan inte ligga i framtiden.": "The day cannot be in the future.",
    "Delegatens befattning": "Delegate's position",
    "Delegation": "Delegation",
    "Diarieförd som": "Registered as",
    "Diarieförs i": "Registered in",
    "Diarienummer, id, adress eller text": "Registration number, id, address or text",
    "Diarieärende": "Registry case",
    "Domen har vunnit laga kraft": "The judgment has become final",
    "Domstolens avgörande (när domen vunnit laga kraft)": "The court's ruling (once the judgment is final)",
    "Domstolens avgörande är registrerat.": "The court's ruling is recorded.",
    "Dubblett av en annan begäran": "Duplicate of another request",
    "En sekretessmarkerad del lämnas inte ut utan prövning: maskera den, eller skriv i motiveringen varför "
    "uppgiften ändå kan lämnas ut.":
        "A part marked secret is not released without review: mask it, or state in the reasoning why the "
        "information can be released nevertheless.",
    "Enhet och beslutsinstans": "Unit and deciding body",
    "Fatta myndighetens beslut": "Take the authority's decision",
    "Fatta myndighetens beslut (överklagbart)": "Take the authority's decision (appealable)",
    "Fler träffar finns: skriv mer.": "There are more matches: type more.",
    "Flera matchar. Välj en:": "Several match. Choose one:",
    "Förvaltningslagen 32 §: de skäl som bestämt utgången. Motiveringarna från prövningen av varje handling tas "
    "med i beslutet.":
        "Administrative Procedure Act s. 32: the reasons that decided the outcome. The reasoning from the review of "
        "each record is included in the decision.",
    "Handlagd: besked lämnat": "Handled: answer given",
    "Hela delar som maskeras": "Whole parts masked",
    "Hur fick sökanden beskedet?": "How did the requester get the answer?",
    "Hålls ordnad (inte diarieförd) – en allmän handling ändå": "Kept in order (not registered) – a public record all the same",
    "Id för inlägg som hålls ordnade (inte diarieförda), t.ex. 812, 815.":
        "Ids of items kept in order (not registered), e.g. 812, 815.",
    "Ingen beslutsinstans angiven": "No deciding body set",
    "Ingen beslutsinstans är angiven: myndighetens beslut kan inte fattas förrän en finns.":
        "No deciding body is set: the authority's decision cannot be taken until there is one.",
    "Inget av slaget ”%(kind)s” matchar ”%(q)s”.": "Nothing of the kind “%(kind)s” matches “%(q)s”.",
    "Inlägg och kommentarer (id, frivilligt)": "Items and comments (id, optional)",
    "Intern anteckning": "Internal note",
    "Kammarrätt": "Administrative court of appeal",
    "Kopior skickade med följebrev": "Copies sent with a cover letter",
    "Kopiorna innehåller bara det som lämnas ut: maskerad text är borttagen, inte övertäckt. Följebrevet talar om "
    "vad som inte lämnas ut och att myndighetens skriftliga beslut kan begäras.":
        "The copies hold only what is released: masked text is removed, not covered. The cover letter says what is "
        "not released and that the authority's written decision can be requested.",
    "Krävs vid maskering och avslag. Gäller de maskerade avsnitten i texten.":
        "Required for masking and refusal. Applies to the masked passages of the text.",
    "Lagrum för %(part)s": "Legal ground for %(part)s",
    "Lägg till begärd handling": "Add a requested record",
    "Lägg till beslutsinstans": "Add a deciding body",
    "Lämna ut kopior": "Release copies",
    "Lämnas inte ut (avslag)": "Not released (refusal)",
    "Lämnas ut med maskering (delvis avslag)": "Released with masking (partial refusal)",
    "Markera text i innehållet med musen (eller Skift och piltangenterna) och tryck ”Maskera markerad text”. Du kan "
    "också skriva en text som ska maskeras överallt där den förekommer. Det maskerade tas bort ur kopian som lämnas "
    "ut.":
        "Select text in the content with the mouse (or Shift and the arrow keys) and press “Mask selected text”. "
        "You can also type a text to be masked wherever it occurs. What is masked is removed from the released copy.",
    "Maskera en text överallt där den förekommer": "Mask a text wherever it occurs",
    "Maskera hela delen: %(part)s%(marked)s": "Mask the whole part: %(part)s%(marked)s",
    "Maskera markerad text": "Mask selected text",
    "Maskera texten": "Mask the text",
    "Maskerade avsnitt": "Masked passages",
    "Maskerade avsnitt (teckenpositioner start–slut)": "Masked passages (character positions start–end)",
    "Maskerat och lagrum": "Masked and legal ground",
    "Maskering utan markering": "Masking without selection",
    "Myndighetens beslut begärt": "Authority's decision requested",
    "Myndighetens beslut fattat": "Authority's decision taken",
    "Myndighetens beslut om att inte lämna ut en handling anger vem som beslutat och enligt vilken delegation "
    "(förvaltningslagen 32 §), och diarieförs. Ange det per enhet; raden utan enhet gäller övriga.":
        "The authority's decision not to release a record states who decided and under which delegation "
        "(Administrative Procedure Act s. 32), and is registered. Set it per unit; the row without a unit applies "
        "to the others.",
    "Myndighetens beslut är fattat och diariefört. Skicka beslutet och registrera sedan när sökanden fick det.":
        "The authority's decision is taken and registered. Send it, then record when the requester received it.",
    "Nytt beslut": "New decision",
    "När fick sökanden beslutet?": "When did the requester receive the decision?",
    "Nästa steg": "Next steps",
    "OSL 6 kap. 3 §: sökanden ska få veta att myndighetens skriftliga beslut kan begäras.":
        "OSL ch. 6 s. 3: the requester must be told that the authority's written decision can be requested.",
    "Om satt diarieförs alla beslut i detta ärende i stället.": "If set, every decision is registered in this case instead.",
    "Pröva alla begärda handlingar innan prövningen avslutas.": "Review every requested record before ending the review.",
    "Pröva på nytt": "Review again",
    "Prövad, besked ej lämnat": "Reviewed, no answer given yet",
    "Prövade, besked ej lämnat": "Reviewed, no answer given yet",
    "Prövningen är avslutad. Lämna ut kopiorna eller registrera beskedet till sökanden.":
        "The review is ended. Release the copies or record the answer to the requester.",
    "På plats hos myndigheten": "On site at the authority",
    "Registrera besked till sökanden": "Record the answer to the requester",
    "Registrera när sökanden fick beslutet": "Record when the requester received the decision",
    "Registrera när sökanden fick beslutet: överklagandetiden räknas från den dagen. Till dess är handlingarna "
    "spärrade.":
        "Record when the requester received the decision: the appeal period runs from that day. Until then the "
        "records are held.",
    "Skäl för beslutet": "Reasons for the decision",
    "Skälen för utfallet. Återges i myndighetens beslut. Krävs om en sekretessmarkerad uppgift lämnas ut.":
        "The reasons for the outcome. Repeated in the authority's decision. Required when information marked secret "
        "is released.",
    "Skälen för utfallet; återges i myndighetens beslut (FL 32 §).":
        "The reasons for the outcome; repeated in the authority's decision (FL s. 32).",
    "Sök referens, diarienummer eller inlägg": "Search reference, registration number or item",
    "Sökanden begär myndighetens beslut": "The requester asks for the authority's decision",
    "Sökanden begärde myndighetens beslut den": "The requester asked for the authority's decision on",
    "Sökanden fick beslutet": "The requester received the decision",
    "Sökanden fick del av beslutet den": "The requester received the decision on",
    "Sökanden kan när som helst begära myndighetens skriftliga beslut om avslaget (OSL 6 kap. 3 §), även efter att "
    "begäran avslutats. Bara det beslutet kan överklagas.":
        "The requester may at any time ask for the authority's written decision on the refusal (OSL ch. 6 s. 3), "
        "also after the request was closed. Only that decision can be appealed.",
    "T.ex. Kammarrätten i Sundsvall": "E.g. Kammarrätten i Sundsvall",
    "T.ex. Kommunstyrelsen": "E.g. Kommunstyrelsen (the municipal executive board)",
    "T.ex. delegationsordning punkt 1.3": "E.g. delegation order item 1.3",
    "T.ex. registrator eller kommunsekreterare": "E.g. registrar or municipal secretary",
    "Ta bort alla maskeringar": "Remove all masks",
    "Textfältet nedan är en kopia av innehållet. Sätt [[ före och ]] efter varje avsnitt som inte får lämnas ut, "
    "t.ex. ”Ring mig på [[070-123 45 67]]”. Ändra inget annat i texten – då kan servern inte veta vad som ska "
    "maskeras och sparar inte.":
        "The field below is a copy of the content. Put [[ before and ]] after each passage that may not be "
        "released, e.g. “Call me on [[070-123 45 67]]”. Change nothing else in the text – the server could then "
        "not know what to mask and does not save.",
    "Tomt = gäller alla enheter som saknar en egen inställning.": "Empty = applies to every unit without its own setting.",
    "Tre veckor för överklagande räknas från denna dag (förvaltningslagen 44 §). Vid brev: ange dagen det kan antas "
    "ha kommit fram.":
        "The three weeks for an appeal run from this day (Administrative Procedure Act s. 44). By post: give the day "
        "it can be assumed to have arrived.",
    "Varje begäran som får ett beslut får ett eget ärende i serien.": "Every request that gets a decision gets a case of its own in the series.",
    "Välj en diarieserie (ett ärende per begäran) eller ett samlingsärende: myndighetens beslut ska diarieföras.":
        "Choose a series (one case per request) or a collection case: the authority's decision must be registered.",
    "Väntar på myndighetens beslut": "Waiting for the authority's decision",
    "avslag meddelat med erbjudande om myndighetens beslut": "refusal notified with the offer of the authority's decision",
    "besked lämnat": "answer given",
    "besked lämnat genom": "answer given by",
    "beslutsinstans": "deciding body",
    "beslutsinstans för utlämnande": "deciding body for disclosure",
    "beslutsinstanser för utlämnande": "deciding bodies for disclosure",
    "delegatens befattning": "delegate's position",
    "delegation": "delegation",
    "diarieförd handling": "registered document",
    "diarieförd som": "registered as",
    "diariefört som": "registered as",
    "diarieserie för ärenden om utlämnande": "series for disclosure cases",
    "enligt %(d)s": "under %(d)s",
    "ett ärende per begäran i serien %(c)s": "one case per request in series %(c)s",
    "id": "id",
    "inkommen": "incoming",
    "intern anteckning": "internal note",
    "kammarrätt": "administrative court of appeal",
    "kopior utlämnade": "copies released",
    "maskerade avsnitt i innehållet": "masked passages of the content",
    "maskerade delar": "masked parts",
    "motivering för avslut": "reasoning for closing",
    "myndighetens beslut begärt": "authority's decision requested",
    "myndighetens beslut fattat": "authority's decision taken",
    "samlingsärende": "collection case",
    "sekretessmarkerade delar som prövats och lämnas ut": "parts marked secret that were reviewed and released",
    "skäl för avslut": "reason for closing",
    "slag av handling": "kind of record",
    "sökanden fick del av beslutet": "the requester received the decision",
    "tills begäran är avslutad": "until the request is closed",
    "upprättad": "drawn up",
    "Ändra beslutsinstans": "Change the deciding body",
    "Ärendet där myndighetens beslut diarieförs.": "The case the authority's decision is registered in.",
    "Återkallad av sökanden": "Withdrawn by the requester",
    "Överklagande inkom": "Appeal received",
    "Överklagandet är registrerat; handlingarna är spärrade mot gallring tills domen vunnit laga kraft.":
        "The appeal is registered; the records are held against purging until the judgment is final.",
    "Överklagandetid löper": "Appeal period running",
    "Överklagandetiden (tre veckor från att sökanden fick beslutet, och en veckas marginal) löper till och med "
    "%(d)s; handlingarna är spärrade mot gallring till dess och så länge ett överklagande pågår.":
        "The appeal period (three weeks from the requester's receipt of the decision, and a week's margin) runs "
        "until %(d)s inclusive; the records are held against purging until then and while an appeal is pending.",
    "Överklagandetiden (tre veckor, förvaltningslagen 44 §) räknas från denna dag.":
        "The appeal period (three weeks, Administrative Procedure Act s. 44) runs from this day.",
    "överklagandetiden löper till och med %(d)s": "the appeal period runs until %(d)s inclusive",
    "Sekretessprövning av %(n)s": "Secrecy review of %(n)s",
    "Registrering": "Registration",
    "Slag": "Kind",
    "Inkommen": "Received",
    "Under prövning": "Under review",
    "Avslutad": "Closed",
    "Anmälan": "Report",
    "Handlingen": "The record",
}
