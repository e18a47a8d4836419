"""English for the strings of secrecy that follows the information (issue 9, deliver 2)."""

EN = {
    "Avsändaren är sekretessmarkerad även i de valda handlingarna och inläggen.":
        "The sender is now marked secret in the chosen documents and items as well.",
    "Handlingar med samma avsändare": "Documents with the same sender",
    "Inlägg från samma avsändare (diarieförs med skyddad avsändare)":
        "Items from the same sender (registered with the sender protected)",
    "Välj minst en handling eller ett inlägg.": "Choose at least one document or item.",
    "Ladda ned": "Download",
    "Identitet": "Identity",
    "Profil": "Profile",
    "Samma avsändare finns på fler ställen": "The same sender appears elsewhere",
    "Sekretessmarkera avsändaren i de valda": "Mark the sender secret in the chosen ones",
    "[sekretess] Avsändaren är sekretessmarkerad i en diarieförd handling; namn, användarnamn och id visas bara "
    "för behöriga.":
        "[secret] The sender is marked secret in a registered document; name, user name and id are shown only to "
        "those entitled to see them.",
    "[sekretess] Förklaringen nämner innehållet och visas bara för behöriga.":
        "[secret] The explanation names the content and is shown only to those entitled to see it.",
    "Avsändaren är sekretessmarkerad här, men samma avsändare finns i %(n)s annan handling eller inlägg. "
    "Markera dem också, så maskeras uppgiften överallt (OSL 5 kap. 2 §). Inlägg som inte är diarieförda "
    "diarieförs i det här ärendet med skyddad avsändare (OSL 5 kap. 1 §).": (
        "The sender is marked secret here, but the same sender appears in %(n)s other document or item. Mark it "
        "too, so the information is masked everywhere (OSL ch. 5 s. 2). Items not yet registered are registered "
        "in this case with the sender protected (OSL ch. 5 s. 1).",
        "The sender is marked secret here, but the same sender appears in %(n)s other documents and items. Mark "
        "them too, so the information is masked everywhere (OSL ch. 5 s. 2). Items not yet registered are "
        "registered in this case with the sender protected (OSL ch. 5 s. 1).",
    ),
}
