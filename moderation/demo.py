"""Demo data for moderation: Exempelstad's channels on every platform, detectors for the rules,
reply templates, and a few hundred realistic Swedish items in threads (run through the ingest
services, so screening runs), some already decided. Deterministic and idempotent."""

from __future__ import annotations

import datetime as dt
import os
import secrets

from django.db import transaction
from django.utils import timezone

from accounts.models import Unit, User
from moderation.models import (
    Channel,
    CredentialsStatus,
    Decision,
    Detector,
    DetectorAction,
    DetectorKind,
    Item,
    Platform,
    PublicReport,
    ReplyPurpose,
    ReplyTemplate,
    Rule,
)

CHANNELS = [
    # slug, platform, external id, name, unit, url
    ("exempelstad-facebook", Platform.FACEBOOK, "100000000000001", "Exempelstads kommun", "kommunledning",
     "https://www.facebook.com/exempelstad"),
    ("exempelstad-instagram", Platform.INSTAGRAM, "17841400000000001", "exempelstad", "kommunledning",
     "https://www.instagram.com/exempelstad"),
    ("exempelstad-youtube", Platform.YOUTUBE, "UCexempelstad000000000001", "Exempelstads kommun", "kommunledning",
     "https://www.youtube.com/@exempelstad"),
    ("exempelstad-linkedin", Platform.LINKEDIN, "urn:li:organization:100001", "Exempelstads kommun",
     "kommunledning", "https://www.linkedin.com/company/exempelstad"),
    ("kulturhuset-facebook", Platform.FACEBOOK, "100000000000002", "Kulturhuset Exempelstad", "kultur-fritid",
     "https://www.facebook.com/kulturhusetexempelstad"),
    ("skolan-instagram", Platform.INSTAGRAM, "17841400000000002", "Exempelskolan", "utbildning",
     "https://www.instagram.com/exempelskolan"),
]

# The default detectors (moderation.screening.lists), measured on the labelled corpus when saved, plus
# the repeat detector (counted by services, not the engine).
REPEAT_DETECTOR = ("Upprepade inlägg", DetectorKind.REPEAT, "irrelevant", DetectorAction.FLAG, 5, 10)
# What earlier demo versions seeded: a row still exactly like this is rebuilt on the new lists.
_OLD_DEMO_TERMS = {
    "Svordomar och obscena ord": "jävla*\njävl*\nfan\nhelvete\nfitta\nhora\nkuk\nskit*",
    "Misstänkt hets och trakasserier": "parasiter\nohyra\nsnyltare\nfeminazi*\nslampa",
    "Hot": "jag ska döda\nni ska få se\nspränga\nbränna ner",
    "Förolämpningar mot personer": r"är en (tjuv|lögnare|bedragare)\b",
    "Uppmaning till brott": r"(säljer|köper) (knark|hasch|sprit till minderåriga)",
    "Kända vilseledande påståenden": "vattnet är förgiftat\nvaccinet innehåller (ett )?chip",
    "Pornografi": "porr*\nxxx",
    "Upphovsrätt": r"(gratis|piratkopierad) (film|filmer|musik)",
    "Blockerade domäner": "skadligsida.example\nhatforum.example",
}

TEMPLATES = [
    ("Politisk debatt – hänvisning", ReplyPurpose.POLITICAL_DEBATE,
     "Tack för ditt engagemang! Politiska frågor hänvisar vi till de politiska partierna i Exempelstad; "
     "du hittar kontaktuppgifter till dem på exempelstad.se/politik.",
     "Thank you! We refer political questions to the political parties in Exempelstad."),
    ("Enskilt ärende – e-tjänst och växel", ReplyPurpose.INDIVIDUAL_MATTER,
     "Hej! Det här låter som ett enskilt ärende. Kontakta oss via e-tjänsten på exempelstad.se/etjanster "
     "eller ring växeln 0123-45 67 00 så hjälper vi dig. Skriv inte personuppgifter här i kommentarerna.",
     "Hi! This sounds like an individual matter. Please use our e-service or call the switchboard."),
    ("Svar på fråga", ReplyPurpose.QUESTION,
     "Hej och tack för frågan! Kontaktcenter svarar vardagar 8–17 på 0123-45 67 00.",
     "Hi and thanks for the question! The contact centre answers on weekdays."),
    ("Meddelande om borttagning", ReplyPurpose.REMOVAL_NOTICE,
     "En kommentar har tagits bort eftersom den bröt mot våra regler för kommunens sociala medier. "
     "Reglerna finns på exempelstad.se/konton.",
     "A comment was removed because it broke our rules for the municipality's social media."),
]

POSTS = [
    "Nu öppnar det nya badhuset! Välkommen på invigning lördag kl. 10.",
    "Vägarbete på Storgatan vecka 12–15. Kör gärna via Järnvägsgatan.",
    "Budgeten för nästa år är antagen. Läs mer på exempelstad.se/budget.",
    "Biblioteket har utökade öppettider under sportlovet.",
    "Snöröjningen är igång i hela kommunen sedan klockan fyra i morse.",
    "Ny lekplats i Norra parken – tack till alla barn som hjälpte till att rita den!",
    "Vi söker sommarvikarier till äldreomsorgen. Ansök senast 31 mars.",
]

CLEAN = [
    "Äntligen! Vi har väntat länge på det här.",
    "Vilka tider gäller på söndagar?",
    "Tack för informationen, bra att veta.",
    "Fantastiskt fina bilder, vilken härlig dag det blev.",
    "Kommer det finnas parkering för rörelsehindrade?",
    "Bra jobbat av alla som ordnat detta!",
    "Hur ansöker man om plats i kulturskolan?",
    "Tack snöröjarna, ni gör ett hästjobb.",
    "Går bussen från Fittja till centrum även på helgerna?",
    "Vi hälsade på i Kukkola i somras, fint att se samarbetet.",
    "Kan man ta med hund till lekplatsen?",
    "Jättekul för barnen!",
    "När kommer protokollet från fullmäktige att publiceras?",
    "Snyggt! Kommer det finnas laddstolpar där?",
    "Vad bra att biblioteket har öppet längre.",
    "Gäller detta även för gymnasieelever?",
    "Hoppas det blir lika bra som förra året.",
    "Min mamma är så glad för den nya servicen, tack!",
    "Finns det cykelparkering vid badhuset?",
    "Härligt initiativ!",
]

VIOLATIONS = [
    # (text, note) – each hits a rule through a detector
    ("Vilket jävla skämt, ni slösar våra skattepengar", "profanity"),
    ("Fan vad dåligt skött det här är", "profanity"),
    ("Helvete vad länge det tar att få svar", "profanity"),
    ("Ni är j-vla idioter allihop", "profanity (förvanskad)"),
    ("Din h.o.r.a till politiker borde avgå", "profanity (förvanskad)"),
    ("Alla sådana där är parasiter på samhället", "hate"),
    ("Typiskt en feminazist att skriva så", "hate"),
    ("Jag ska döda den som bestämde detta", "threat"),
    ("Ni ska få se vad som händer om ni stänger skolan", "threat"),
    ("Någon borde spränga hela kommunhuset", "threat"),
    ("Rektorn är en tjuv som stjäl från barnen", "defamation"),
    ("Han som säljer hasch vid skolan finns där varje fredag, kom dit", "crime"),
    ("Vattnet är förgiftat, drick inte från kranen!!", "disinformation"),
    ("Gratis porr på min profil", "violence_porn"),
    ("Här kan ni se piratkopierad film av hela konserten", "copyright"),
    ("Min granne har personnummer 811218-9876 och hon fuskar med bidrag", "gdpr (giltigt personnummer)"),
    ("Samordningsnummer 811278-9873 tillhör han som bor i lägenheten", "gdpr (samordningsnummer)"),
    ("Ring Anna på 070-123 45 67 så får du veta mer", "gdpr (telefon)"),
    ("Maila chefen direkt på anna.svensson@example.com", "gdpr (e-post)"),
    ("Läs sanningen här: http://hatforum.example/kommunen", "harmful_link"),
    ("Köp billiga solglasögon på https://billigt-solglas.example/rea", "advertising"),
]

ROUTED = [
    ("Det här är ju S-styret som har förstört allt, rösta bort dem!", "political_debate"),
    ("Moderaterna vill bara sänka skatten för de rika, skamligt.", "political_debate"),
    ("Min pappa har fått fel beslut om hemtjänst, vem ska jag prata med?", "individual_matter"),
    ("Jag har sökt bygglov för ett halvår sedan och inte fått svar, ärende 2025-1234.", "individual_matter"),
    ("Hur gör jag för att byta förskola för min son?", "question"),
    ("Är återvinningscentralen öppen på påskafton?", "question"),
]

NOT_FLAGGED = [
    "Personnumret 811218-9877 stämmer inte, kolla igen",  # invalid check digit
    "Läs mer på https://www.exempelstad.se/badhus",  # allowed domain
    "Jag skriver skithög med flit, det är ju ett ortnamn",
]


def _channels(stdout) -> tuple[dict[str, Channel], list[str]]:
    printed = []
    out = {}
    units = {u.code: u for u in Unit.objects.filter(code__in={c[4] for c in CHANNELS})}
    for slug, platform, ext, name, unit_code, url in CHANNELS:
        unit = units.get(unit_code)
        if unit is None:
            continue
        channel, _ = Channel.objects.get_or_create(slug=slug, defaults={
            "platform": platform, "external_id": ext, "name": name, "unit": unit, "url": url,
            "description": f"Demokanal för {unit.name}.", "credentials_status": CredentialsStatus.MISSING,
        })
        out[slug] = channel
    fb = out.get("exempelstad-facebook")
    if fb is not None:
        changed = False
        for secret_name, env in (("verify_token", "UPPSIKT_DEMO_META_VERIFY_TOKEN"),
                                 ("app_secret", "UPPSIKT_DEMO_META_APP_SECRET")):
            wanted = os.environ.get(env, "")
            if wanted and (not fb.has_secret(secret_name) or fb.get_secret(secret_name) != wanted):
                fb.set_secret(secret_name, wanted)
                changed = True
            elif not wanted and not fb.has_secret(secret_name):
                fb.set_secret(secret_name, secrets.token_urlsafe(24))
                changed = True
        if changed:
            fb.save()
        if not os.environ.get("UPPSIKT_DEMO_META_VERIFY_TOKEN"):
            printed.append(f"Meta-webhook för exempelstad-facebook: verifieringstoken {fb.get_secret('verify_token')}")
        if not os.environ.get("UPPSIKT_DEMO_META_APP_SECRET"):
            printed.append(f"Meta-webhook för exempelstad-facebook: app-hemlighet {fb.get_secret('app_secret')}")
    return out, printed


def _detectors() -> None:
    """The default detectors, saved through the service (expanded, measured, hold rule checked).
    A detector an administrator has edited is left alone; one still as an earlier demo seeded it
    is rebuilt on the current lists."""
    from moderation.screening.lists import DEFAULT_DETECTORS
    from moderation.screening.services import detector_save

    rules = {r.code: r for r in Rule.objects.all()}
    for name, kind, rule, action, terms, allow in DEFAULT_DETECTORS:
        if rule not in rules:
            continue
        existing = Detector.objects.filter(name=name).first()
        wanted = ("\n".join(terms), "\n".join(allow), action)
        if existing is not None and (existing.terms != _OLD_DEMO_TERMS.get(name)
                                     or (existing.terms, existing.allow, existing.action) == wanted):
            continue
        detector = existing or Detector(name=name)
        detector.kind, detector.rule, detector.action = kind, rules[rule], action
        detector.terms, detector.allow = "\n".join(terms), "\n".join(allow)
        detector_save(detector=detector)
    name, kind, rule, action, threshold, window = REPEAT_DETECTOR
    if rule in rules:
        Detector.objects.get_or_create(name=name, defaults={
            "kind": kind, "rule": rules[rule], "action": action, "threshold": threshold, "window_minutes": window})
    for name, purpose, sv, en in TEMPLATES:
        ReplyTemplate.objects.get_or_create(name=name, defaults={"purpose": purpose, "text_sv": sv, "text_en": en})


def _rows(channel: Channel, ci: int, base: dt.datetime) -> list[dict]:
    """Deterministic threads: the channel's own posts, comments (clean, violations, routed) and replies."""
    rows = []
    pool = ([(t, "") for t in CLEAN] + VIOLATIONS + ROUTED + [(t, "") for t in NOT_FLAGGED])
    n = 0
    for pi in range(5):
        post_ext = f"{channel.slug}-post-{pi + 1}"
        t_post = base + dt.timedelta(hours=ci * 7 + pi * 3)
        rows.append({"external_id": post_ext, "kind": "post", "direction": "outgoing",
                     "text": POSTS[(ci + pi) % len(POSTS)], "created_at": t_post,
                     "url": f"{channel.url}/posts/{pi + 1}"})
        for k in range(6):
            text, _ = pool[(ci * 11 + pi * 6 + k) % len(pool)]
            n += 1
            ext = f"{channel.slug}-c-{pi + 1}-{k + 1}"
            author = (ci * 5 + pi + k) % 23
            rows.append({
                "external_id": ext, "kind": "comment", "direction": "incoming", "text": text,
                "author_external_id": f"{channel.slug}-u{author}", "author_name": NAMES[author % len(NAMES)],
                "created_at": t_post + dt.timedelta(minutes=13 * (k + 1)), "parent_external_id": post_ext,
                "post_external_id": post_ext, "url": f"{channel.url}/posts/{pi + 1}?comment_id={ext}",
            })
            if k in (1, 4):
                rows.append({
                    "external_id": f"{ext}-svar", "kind": "reply", "direction": "outgoing",
                    "text": "Tack för din kommentar! Vi återkommer med mer information.",
                    "created_at": t_post + dt.timedelta(minutes=13 * (k + 1) + 20), "parent_external_id": ext,
                    "post_external_id": post_ext,
                })
    return rows


NAMES = ["Anna Lindqvist", "Per Johansson", "Eva Karlsson", "Lars Nilsson", "Maria Eriksson", "Johan Larsson",
         "Karin Olsson", "Erik Persson", "Sara Svensson", "Anders Gustafsson", "Lena Pettersson", "Mikael Jonsson",
         "Elin Berg", "Fredrik Lund", "Ingrid Holm", "Oskar Sandberg", "Sofia Ek", "Nils Hedlund", "Ida Sjöberg",
         "Ali Hassan", "Fatima Yusuf", "Jukka Niemi", "Aino Korhonen"]


def _troll_rows(channel: Channel, base: dt.datetime) -> list[dict]:
    """One author close to the block threshold, and a burst of repeated posts."""
    rows = []
    post_ext = f"{channel.slug}-post-1"
    for n, text in enumerate(["Skit i det här, ni är värdelösa", "Jävla byråkrater",
                              "Fan ta er allihop, era parasiter på samhället"]):
        rows.append({"external_id": f"{channel.slug}-troll-{n + 1}", "kind": "comment", "direction": "incoming",
                     "text": text, "author_external_id": f"{channel.slug}-troll", "author_name": "Arg Medborgare",
                     "created_at": base + dt.timedelta(hours=1, minutes=n * 30), "parent_external_id": post_ext})
    for n in range(6):
        rows.append({"external_id": f"{channel.slug}-spam-{n + 1}", "kind": "comment", "direction": "incoming",
                     "text": f"Besök vår loppis i Folkets hus, fynd nummer {n + 1}!",
                     "author_external_id": f"{channel.slug}-loppis", "author_name": "Loppisföreningen",
                     "created_at": base + dt.timedelta(hours=2, minutes=n), "parent_external_id": post_ext})
    return rows


def _decide(channels: dict[str, Channel]) -> None:
    from moderation.queue.services.decisions import item_decide

    actor = User.objects.filter(username="moderator").first()
    fb = channels.get("exempelstad-facebook")
    if actor is None or fb is None:
        return

    def undecided(ext):
        item = Item.objects.filter(channel=fb, external_id=ext).first()
        if item is None or Decision.objects.filter(item=item).exists():
            return None
        return item

    for n in (1, 2):  # two strikes: the third removal proposes a block
        item = undecided(f"{fb.slug}-troll-{n}")
        if item:
            item_decide(item=item, action="remove", actor=actor, rules=["profanity"], note="Svordomar mot personal.")
    # A comment naming a person by personnummer: confidential, removed at once and proposed for
    # registration as secret (the registrar's demo marks the document's content secret).
    candidates = Item.objects.filter(text__contains="811218-9876", channel__unit=fb.unit)
    pnr = candidates.filter(decisions__isnull=True).order_by("pk").first()
    if pnr is not None and not candidates.filter(secret=True).exists():
        item_decide(item=pnr, action="remove", actor=actor, rules=[], confidential=True,
                    note="Personnummer och uppgifter om en enskild: sekretess.")
    for ext, action in ((f"{fb.slug}-c-1-1", "keep"), (f"{fb.slug}-c-1-4", "hide")):
        item = undecided(ext)
        if item and item.state != "decided":
            item_decide(item=item, action=action, actor=actor, rules=[] if action == "keep" else ["profanity"],
                        note="Demo")


def _reports(channels: dict[str, Channel]) -> None:
    from moderation.reports.services import public_report_submit

    fb = channels.get("exempelstad-facebook")
    if fb is None:
        return
    reports = [
        ("Rektorn är en tjuv som stjäl från barnen", "", "defamation", "email"),
        ("", f"{fb.url}/posts/3?comment_id={fb.slug}-c-3-2", "hate", "form"),
        ("Någon skrev något elakt om min dotter på er Instagram i går kväll", "", "defamation", "private_message"),
    ]
    for text, url, rule, via in reports:
        if PublicReport.objects.filter(text=text, url=url, via=via).exists():
            continue
        public_report_submit(text=text, url=url, rule=Rule.objects.filter(code=rule).first(), via=via,
                             message="Anmält i demodata.")


def seed(*, stdout=None, context=None) -> dict:
    from moderation.queue.services.ingest import items_ingest_bulk

    with transaction.atomic():
        channels, printed = _channels(stdout)
        _detectors()
        base = timezone.localtime().replace(hour=8, minute=0, second=0, microsecond=0) - dt.timedelta(days=2)
        created = 0
        for ci, channel in enumerate(channels.values()):
            rows = _rows(channel, ci, base)
            if channel.slug == "exempelstad-facebook":
                rows += _troll_rows(channel, base)
            created += items_ingest_bulk(channel=channel, rows=rows).created
        _decide(channels)
        _reports(channels)
    if stdout is not None:
        stdout.write(f"  moderering: {len(channels)} kanaler, {created} nya inlägg")
    return {"print": printed, "channels": list(channels)}
