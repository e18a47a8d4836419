"""Fill English translations in locale/en/LC_MESSAGES/django.po from the glossary below.

Run by `./dev messages` between makemessages and compilemessages. Add new UI strings to EN (or to
the per-app dictionaries in locale/en_*.py). Plural entries use a tuple (singular, plural).
"""

import importlib.util
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PO = HERE / "en" / "LC_MESSAGES" / "django.po"

EN = {
    "Tjänst": "Position", "roller": "roles", "Konton och behörigheter": "Accounts and permissions", "Du": "You",
    "Senaste händelser i granskningsloggen": "Latest audit log events", "Användare": "User",
    "Händelse": "Event", "Objekttyp": "Object type", "Objekt-id": "Object id", "Från och med": "From",
    "Till och med": "To", "Namn": "Name", "Användarnamn": "Username", "Lösenord": "Password",
    "Kontot är inaktiverat.": "The account is inactive.", "ja": "yes", "nej": "no", "Skapad": "Created",
    "Ändrad": "Changed", "Borttagen": "Deleted", "systemet": "the system",
    "Du har loggats ut efter en tids inaktivitet. Logga in igen.": "You were signed out after a period of inactivity. Sign in again.",
    "Moderator (kommunikatör, kontaktcenter)": "Moderator (communicator, contact centre)",
    "Registrator": "Registrar", "Arkivarie": "Archivist", "Systemförvaltare": "Administrator",
    "Granskare (dataskyddsombud)": "Auditor (data protection officer)", "befattning": "position",
    "användare": "user", "Får använda administrationsgränssnittet": "May use the admin interface",
    "Får se ändringshistorik": "May see change history", "kod": "code", "namn": "name",
    "beskrivning": "description", "överordnad enhet": "parent unit", "medlemmar": "members", "aktiv": "active",
    "enhet": "unit", "enheter": "units", "Inloggning": "Sign-in", "Utloggning": "Sign-out",
    "Misslyckad inloggning": "Failed sign-in", "Spärrad efter misslyckade inloggningar": "Locked after failed sign-ins",
    "Sessionen gick ut": "Session expired", "Lösenord ändrat": "Password changed", "Nekad åtkomst": "Access denied",
    "Sekretessuppgift visad": "Secret information viewed", "Export": "Export", "Utlämnande": "Disclosure",
    "Roller ändrade": "Roles changed", "Registrerads rättigheter": "Data subject rights", "Gallring": "Purge",
    "Annat": "Other", "tidpunkt": "time", "utförd av": "performed by", "händelse": "event",
    "objekttyp": "object type", "objekt-id": "object id", "objekt": "object", "detaljer": "details",
    "IP-adress": "IP address", "granskningshändelse": "audit event", "granskningslogg": "audit log",
    "Översikt": "Overview", "Enheter": "Units", "Granskningslogg": "Audit log", "Administration": "Administration",
    "Loggen kan bara läsas: ingen händelse kan ändras eller tas bort.": "The log is read-only: no event can be changed or removed.",
    "%(n)s händelse": ("%(n)s event", "%(n)s events"), "Tidpunkt": "Time", "Objekt": "Object",
    "Inga händelser matchar filtret.": "No events match the filter.", "Inga händelser.": "No events.",
    "Hela granskningsloggen": "The whole audit log", "Roller": "Roles", "Kod": "Code", "Beskrivning": "Description",
    "Överordnad enhet": "Parent unit", "Aktiv": "Active", "ja,nej": "yes,no", "Medlemmar": "Members",
    "Inga medlemmar.": "No members.", "Visa ändringshistorik": "Show change history",
    "Enheter (förvaltningar och verksamheter)": "Units (departments and services)", "Överordnad": "Parent",
    "Ditt lösenord är ändrat.": "Your password has been changed.", "Uppsikt – administration": "Uppsikt – administration",
    "Uppsikt": "Uppsikt", "Konfiguration": "Configuration", "Svenska": "Swedish", "English": "English",
    "Felaktig begäran": "Bad request",
    "Begäran kunde inte behandlas. Kontrollera adressen och försök igen.": "The request could not be processed. Check the address and try again.",
    "Åtkomst nekad": "Access denied", "Formuläret har gått ut": "The form has expired",
    "Sidan finns inte": "Page not found", "Sidan du söker finns inte eller har flyttats.": "The page you are looking for does not exist or has moved.",
    "Något gick fel": "Something went wrong",
    "Ett tekniskt fel uppstod. Felet är loggat. Försök igen om en stund.": "A technical error occurred. It has been logged. Try again in a while.",
    "Hoppa till innehållet": "Skip to content", "Huvudmeny": "Main menu", "Byt lösenord": "Change password",
    "Logga ut": "Sign out", "Våra konton och regler": "Our accounts and rules", "Till startsidan": "To the start page",
    "Historik": "History", "Historik för %(what)s": "History of %(what)s", "Ändringshistorik": "Change history",
    "Ändringar, nyast först": "Changes, newest first", "När": "When", "Vem": "Who", "Vad": "What",
    "Ändring (fält: gammalt → nytt)": "Change (field: old → new)", "Inga fältändringar": "No field changes",
    "Ingen historik.": "No history.", "Filter": "Filter", "Filtrera": "Filter", "Rensa": "Clear", "Sidor": "Pages",
    "Föregående": "Previous", "Sida %(n)s av %(total)s": "Page %(n)s of %(total)s", "Nästa": "Next",
    "För många försök": "Too many attempts", "För många misslyckade inloggningar": "Too many failed sign-ins",
    "Logga in": "Sign in", "Spara nytt lösenord": "Save new password",
    "Fel användarnamn eller lösenord. Observera att fälten skiljer på stora och små bokstäver.": "Wrong username or password. Note that both fields are case-sensitive.",
    "Du har inte behörighet till den här sidan. Kontakta systemförvaltaren om du behöver den.": "You do not have access to this page. Contact the administrator if you need it.",
    "Sidan var öppen för länge eller kakor är avstängda. Ladda om sidan och försök igen.": "The page was open too long or cookies are disabled. Reload the page and try again.",
    "Kontot är tillfälligt spärrat från den här adressen. Vänta en stund och försök igen, eller kontakta systemförvaltaren.": "The account is temporarily locked from this address. Wait a while and try again, or contact the administrator.",
}


def glossary() -> dict:
    merged = dict(EN)
    for path in sorted(HERE.glob("en_*.py")):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        merged.update(module.EN)
    return merged


def _unquote(lines: list[str]) -> str:
    return "".join(re.match(r'^\s*(?:msgid|msgid_plural|msgstr(?:\[\d\])?)?\s*"(.*)"\s*$', ln).group(1)
                   for ln in lines).encode("utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")


def _quote(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def fill(text: str, words: dict) -> tuple[str, int, list[str]]:
    blocks = text.split("\n\n")
    filled, missing = 0, []
    out = []
    for block in blocks:
        lines = block.split("\n")
        try:
            i_id = next(i for i, ln in enumerate(lines) if ln.startswith("msgid "))
        except StopIteration:
            out.append(block)
            continue
        j = i_id + 1
        while j < len(lines) and lines[j].startswith('"'):
            j += 1
        msgid = _unquote(lines[i_id:j])
        if not msgid:
            out.append(block)
            continue
        plural = j < len(lines) and lines[j].startswith("msgid_plural")
        target = words.get(msgid)
        head = [ln for ln in lines[:i_id] if not ln.startswith("#, fuzzy")]
        head = [ln.replace(", fuzzy", "") for ln in head]
        if plural:
            k = j + 1
            while k < len(lines) and lines[k].startswith('"'):
                k += 1
            id_lines = lines[i_id:k]
            if isinstance(target, tuple):
                out.append("\n".join(head + id_lines + [f"msgstr[0] {_quote(target[0])}", f"msgstr[1] {_quote(target[1])}"]))
                filled += 1
            else:
                missing.append(msgid)
                out.append(block)
            continue
        if isinstance(target, str):
            out.append("\n".join(head + lines[i_id:j] + [f"msgstr {_quote(target)}"]))
            filled += 1
        else:
            missing.append(msgid)
            out.append(block)
    return "\n\n".join(out), filled, missing


if __name__ == "__main__":
    content = PO.read_text(encoding="utf-8")
    new, n, missing = fill(content, glossary())
    PO.write_text(new, encoding="utf-8")
    print(f"{n} translations filled; {len(missing)} without English: {missing[:20]}", file=sys.stderr)
