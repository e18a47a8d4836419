"""Reference data a fresh installation needs: OSL legal grounds, one registration setting per
reason, and a starting information management plan (retention classes).

Idempotent (update_or_create by code/reason would overwrite local edits, so existing rows are
left alone: get_or_create). The retention decision data are demo values: each municipality
replaces them with its own gallringsbeslut.
"""

import datetime

from django.db import migrations

LEGAL_GROUNDS = [
    ("OSL 18 kap. 8 §", "Säkerhets- och bevakningsåtgärder",
     "Uppgift som rör säkerhets- eller bevakningsåtgärd, om det kan antas att syftet med åtgärden "
     "motverkas om uppgiften röjs."),
    ("OSL 21 kap. 1 §", "Uppgift om hälsa eller sexualliv",
     "Uppgift som rör en enskilds hälsa eller sexualliv, om det kan antas att den enskilde eller "
     "någon närstående lider betydande men om uppgiften röjs."),
    ("OSL 21 kap. 3 §", "Skyddade personuppgifter",
     "Uppgift om en enskilds bostadsadress och liknande uppgifter (skyddad folkbokföring), om den "
     "enskilde kan utsättas för hot eller våld om uppgiften röjs."),
    ("OSL 21 kap. 7 §", "Personuppgifter vars utlämnande strider mot dataskyddsregleringen",
     "Personuppgift, om det kan antas att uppgiften efter ett utlämnande kommer att behandlas i "
     "strid med EU:s dataskyddsförordning eller dataskyddslagen."),
    ("OSL 23 kap. 1 §", "Förskola",
     "Uppgift om ett barns eller dess närståendes personliga förhållanden i förskola."),
    ("OSL 23 kap. 2 §", "Elevhälsa och särskild elevstödjande verksamhet",
     "Uppgift om enskilds personliga förhållanden i skolväsendets elevhälsa och särskilda "
     "elevstödjande verksamhet."),
    ("OSL 25 kap. 1 §", "Hälso- och sjukvård",
     "Uppgift om enskilds hälsotillstånd eller andra personliga förhållanden inom hälso- och sjukvården."),
    ("OSL 26 kap. 1 §", "Socialtjänst",
     "Uppgift om enskilds personliga förhållanden inom socialtjänsten, om det inte står klart att "
     "uppgiften kan röjas utan att den enskilde eller någon närstående lider men."),
    ("OSL 31 kap. 16 §", "Affärsförhållanden vid affärsförbindelse med myndigheten",
     "Uppgift om enskilds affärs- eller driftförhållanden när den enskilde har trätt i "
     "affärsförbindelse med myndigheten, om den enskilde kan antas lida skada om uppgiften röjs."),
    ("OSL 39 kap. 3 §", "Personaladministrativ verksamhet",
     "Uppgift om enskilds personliga förhållanden i personaladministrativ verksamhet (personalärenden), "
     "om det kan antas att den enskilde eller någon närstående lider men om uppgiften röjs."),
]

REASONS = [
    "adds_to_case", "requested", "special_interest", "removed_inappropriate", "confidential",
    "individual_matter", "other",
]

DEMO = "(Demovärde: ersätt beslutande organ, datum och diarienummer med kommunens eget gallringsbeslut.)"
DECISION = {"decision_body": "Kommunstyrelsen", "decision_date": datetime.date(2025, 2, 12),
            "decision_reference": "KS 2025/12"}
ITEM, DOC, CASE = "moderation.item", "records.document", "records.case"

# code, name, covers, action, period_days, trigger, applies_to
RETENTION_CLASSES = [
    ("SM-1", "Inlägg och kommentarer som hålls ordnade (ej diarieförda)",
     "Inkomna och upprättade inlägg, kommentarer och meddelanden på kommunens konton som inte "
     "diarieförs (av ringa eller tillfällig betydelse). Gallras ett år efter att de kom in.",
     "purge", 365, "arrival", [ITEM]),
    ("SM-2", "Raderat olämpligt innehåll (diarieförs)",
     "Kommentarer och inlägg som tagits bort på grund av olämpligt innehåll. Diarieförs; handlingen "
     "gallras två år efter att samlingsärendet avslutats. Kopian i modereringen gallras samtidigt.",
     "purge", 730, "case_closed", [ITEM, DOC, CASE]),
    ("SM-3", "Sekretessbelagda uppgifter",
     "Inlägg med sekretessbelagda uppgifter som tagits bort från kanalen och diarieförts. Gallras två "
     "år efter beslutet om borttagning, om de inte tillför uppgifter i ett ärende (då följer de ärendet).",
     "purge", 730, "decision", [ITEM, DOC]),
    ("SM-4", "Anmälningar från allmänheten",
     "Anmälningar av olämpligt innehåll via formulär, e-post eller meddelande. Gallras ett år efter ankomst.",
     "purge", 365, "arrival", ["moderation.publicreport"]),
    ("SM-5", "Kontouppgifter om avsändare",
     "Uppgifter om plattformskonton som skrivit till kommunen (namn, id, varningar, blockeringar). "
     "Gallras ett år efter kontots senaste aktivitet.",
     "purge", 365, "last_activity", ["moderation.author"]),
    ("SM-6", "Ögonblicksbild av kanal (halvårsvis)",
     "En ögonblicksbild av varje konto och dess innehåll tas varje halvår och bevaras som dokumentation "
     "av kommunens närvaro i sociala medier.",
     "keep", None, "arrival", ["moderation.platforms.snapshot"]),
    ("ÄR-1", "Ärenden i diariet",
     "Diarieförda ärenden och deras handlingar som tillför uppgifter i ett ärende, av särskilt intresse "
     "eller som myndigheten efterfrågat. Bevaras och levereras till e-arkivet.",
     "keep", None, "case_closed", [CASE, DOC]),
    ("ÄR-2", "Handlingar av tillfällig betydelse",
     "Handlingar av tillfällig eller ringa betydelse. Gallras när de inte längre behövs för verksamheten "
     "(bedöms manuellt).",
     "purge", None, "manual", [DOC, ITEM]),
    ("BAH-1", "Begäran om allmän handling",
     "Begäranden om allmän handling, sekretessprövning och beslut. Gallras två år efter beslutet "
     "(avslagsbeslut som överklagats spärras till dess domstolen avgjort saken).",
     "purge", 730, "decision", ["records.disclosurerequest"]),
    ("GDPR-1", "Begäran om registerutdrag eller radering",
     "Den registrerades begäran enligt artikel 15 och 17 med svar och beslut. Gallras två år efter beslutet.",
     "purge", 730, "decision", ["records.subjectrequest"]),
]


def seed(apps, schema_editor):
    LegalGround = apps.get_model("records", "LegalGround")
    RegistrationSetting = apps.get_model("records", "RegistrationSetting")
    RetentionClass = apps.get_model("records", "RetentionClass")

    for code, title, description in LEGAL_GROUNDS:
        LegalGround.objects.get_or_create(code=code, defaults={"title": title, "description": description})
    for reason in REASONS:
        RegistrationSetting.objects.get_or_create(reason=reason, defaults={"auto_register": False})
    for order, (code, name, covers, action, days, trigger, applies_to) in enumerate(RETENTION_CLASSES, start=1):
        RetentionClass.objects.get_or_create(
            code=code,
            defaults={
                "name": name, "covers": f"{covers} {DEMO}", "action": action, "period_days": days,
                "trigger": trigger, "applies_to": applies_to, "order": order * 10, **DECISION,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("records", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
