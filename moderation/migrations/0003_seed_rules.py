"""Seed the rules of DESIGN.md ("The rules"), with the Swedish titles taken from the two policies.

Re-runnable: a rule that already exists (by code) is left as it is, so an administrator's edits
survive; only missing rules are created. Severity is the queue priority of a hit (0 = urgent).
"""

from django.db import migrations

# code, title_sv, title_en, description_sv, description_en, consequence, severity, is_violation
RULES = [
    ("defamation",
     "förtal, personliga angrepp eller förolämpningar",
     "Defamation, personal attacks or insults",
     "Inlägg som förtalar, angriper eller förolämpar en person tas bort.",
     "Posts that defame, attack or insult a person are removed.",
     "remove_and_register", 2, True),
    ("hate",
     "hets mot folkgrupp, sexistiska yttranden eller andra trakasserier",
     "Incitement against a population group, sexist remarks or other harassment",
     "Inlägg med hets mot folkgrupp, sexistiska yttranden eller trakasserier tas bort.",
     "Posts containing incitement against a population group, sexist remarks or harassment are removed.",
     "remove_and_register", 2, True),
    ("violence_porn",
     "olovliga våldsskildringar eller pornografi",
     "Unlawful depictions of violence or pornography",
     "Inlägg med olovliga våldsskildringar eller pornografi tas bort.",
     "Posts containing unlawful depictions of violence or pornography are removed.",
     "remove_and_register", 2, True),
    ("disinformation",
     "desinformation eller potentiellt vilseledande information",
     "Disinformation or potentially misleading information",
     "Inlägg med desinformation eller information som kan vilseleda tas bort.",
     "Posts containing disinformation or information that may mislead are removed.",
     "remove_and_register", 2, True),
    ("crime",
     "uppmaningar till brott eller om inlägget utgör annan brottslig verksamhet",
     "Incitement to crime, or posts that are otherwise criminal",
     "Inlägg som uppmanar till brott eller i sig är brottsliga tas bort; brott polisanmäls.",
     "Posts that incite crime or are criminal in themselves are removed; crimes are reported to the police.",
     "remove_and_register", 2, True),
    ("threat",
     "hot",
     "Threats",
     "Hot och andra brott polisanmäls. Inlägget sparas, tas bort och diarieförs.",
     "Threats and other crimes are reported to the police. The post is saved, removed and registered.",
     "police_report", 0, True),
    ("copyright",
     "olovligt bruk av upphovsrättsskyddat material, exempelvis bilder",
     "Unauthorised use of copyrighted material, such as pictures",
     "Inlägg som använder upphovsrättsskyddat material utan tillstånd tas bort.",
     "Posts that use copyrighted material without permission are removed.",
     "remove_and_register", 2, True),
    ("profanity",
     "svordomar eller obscena ord",
     "Profanity or obscene words",
     "Inlägg med svordomar eller obscena ord tas bort.",
     "Posts containing profanity or obscene words are removed.",
     "remove_and_register", 2, True),
    ("gdpr",
     "information som bryter mot dataskyddsförordningen (GDPR)",
     "Information that breaches the General Data Protection Regulation (GDPR)",
     "Personuppgifter som behandlas i strid med dataskyddsförordningen, till exempel andras "
     "personnummer, tas bort omgående.",
     "Personal data processed in breach of the GDPR, such as someone else's identity number, is removed "
     "at once.",
     "remove_and_register", 0, True),
    ("confidential",
     "sekretessbelagda uppgifter",
     "Confidential information",
     "Sekretessbelagd information diarieförs och tas omedelbart bort från kanalen.",
     "Confidential information is registered and removed from the channel immediately.",
     "remove_and_register", 0, True),
    ("advertising",
     "reklam, exempelvis för produkter och företag",
     "Advertising, for example for products and companies",
     "Inlägg med reklam tas bort.",
     "Posts containing advertising are removed.",
     "remove", 2, True),
    ("irrelevant",
     "annat irrelevant innehåll om till exempel företag, föreningar eller organisationer",
     "Other irrelevant content, for example about companies, associations or organisations",
     "Inlägg som inte hör hemma på kommunens sidor tas bort.",
     "Posts that do not belong on the municipality's pages are removed.",
     "remove", 2, True),
    ("harmful_link",
     "länkar till sidor som bedöms innehålla någon av ovanstående punkter",
     "Links to pages judged to contain any of the above",
     "Inlägg som länkar till sidor med innehåll som bryter mot reglerna tas bort.",
     "Posts that link to pages with content that breaks these rules are removed.",
     "remove_and_register", 2, True),
    # Not violations: routed to a reply or a referral.
    ("political_debate",
     "politisk debatt",
     "Political debate",
     "Om det uppstår politiska debatter kommer vi att hänvisa till de politiska partierna.",
     "When a political debate arises, we refer to the political parties.",
     "route", 2, False),
    ("individual_matter",
     "enskilt ärende",
     "Individual matter",
     "Ett enskilt ärende hänvisas till kommunens e-tjänst eller växel och diarieförs i regel.",
     "An individual matter is referred to the municipality's e-service or switchboard and is usually registered.",
     "route", 2, False),
    ("question",
     "fråga",
     "Question",
     "Frågor besvaras av kommunens kontaktcenter.",
     "Questions are answered by the municipality's contact centre.",
     "route", 2, False),
]


def seed(apps, schema_editor):
    Rule = apps.get_model("moderation", "Rule")
    for order, (code, title_sv, title_en, desc_sv, desc_en, consequence, severity, violation) in enumerate(RULES):
        Rule.objects.get_or_create(
            code=code,
            defaults={
                "title_sv": title_sv, "title_en": title_en, "description_sv": desc_sv, "description_en": desc_en,
                "consequence": consequence, "severity": severity, "is_violation": violation,
                "published": True, "active": True, "order": (order + 1) * 10, "version": 1,
            },
        )


def unseed(apps, schema_editor):
    Rule = apps.get_model("moderation", "Rule")
    # Only rules no decision or detector relies on (PROTECT would refuse the others).
    for rule in Rule.objects.filter(code__in=[r[0] for r in RULES]):
        if not rule.decision_rules.exists() and not rule.detectors.exists() and not rule.flags.exists():
            rule.delete()


class Migration(migrations.Migration):
    dependencies = [("moderation", "0002_item_search_index")]

    operations = [migrations.RunPython(seed, unseed)]
