"""Build the labelled Swedish screening corpus (moderation/screening/corpus/corpus.jsonl).

    .venv/bin/python bench/build_screening_corpus.py

Deterministic (fixed seeds); needs Debian's ``wswedish`` (/usr/share/dict/swedish) and the
``wordfreq`` package (a dev dependency). What goes in, and where it comes from, is described in
moderation/screening/corpus/README.md. The result is committed; the quality benchmark, the tests and
``manage.py screening_evaluate`` only read it.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from moderation.screening.identity import luhn_ok  # noqa: E402

CORPUS = ROOT / "moderation" / "screening" / "corpus"
WRITTEN = CORPUS / "written"
WSWEDISH = Path("/usr/share/dict/swedish")
SEED = 20261210
HELDOUT_SHARE = 3  # in 10
# numbers are generated as of this date so that the corpus does not change with the calendar
AS_OF = datetime.date(2026, 1, 1)

# --------------------------------------------------------------------------- ordinary sentences

PLACES = ["Storgatan", "Björkvägen", "Lärkvägen", "Kungsgatan", "Östra Ringvägen", "Skolgatan", "Stationsvägen",
          "Norra hamnen", "Västra", "Östby", "Kyrkbyn", "Sjöängen", "Torget", "Ekbacken", "Tallåsen", "Åsen",
          "Mossen", "Fittja", "Kukkola", "Horsby", "Porsgrund", "Fanbyn", "Hornsberg", "Rövarberget"]  # fmt: skip
FACILITIES = ["simhallen", "biblioteket", "förskolan", "skolan", "idrottshallen", "ishallen", "fritidsgården",
              "vårdcentralen", "återvinningscentralen", "kulturhuset", "äldreboendet", "badplatsen", "lekparken",
              "stadshuset", "kommunhuset", "busstationen", "motionsspåret", "konsthallen", "musikskolan",
              "hundrastgården", "kolonilotterna", "utegymmet"]  # fmt: skip
ISSUES = ["har varit stängd i tre veckor", "behöver renoveras", "har för korta öppettider",
          "saknar parkering för cyklar", "är fantastiskt skött", "borde få mer pengar", "är för dyr att besöka",
          "har fått ny personal", "var full i helgen", "har dålig belysning på kvällen",
          "är svår att ta sig till med buss", "har en trasig port", "har fått ett nytt tak",
          "borde ha öppet på söndagar", "har problem med ventilationen", "är mycket uppskattad av barnen",
          "har långa köer på morgonen", "har fått nya porslinskoppar", "fanns inte med i budgeten",
          "har en fin porträttutställning just nu"]  # fmt: skip
OPENERS = ["Hej!", "Hej kommunen.", "Hallå,", "Tack för informationen.", "En fråga:", "Jag undrar,",
           "God morgon!", "Hej igen.", "", "", "", "Snälla,", "Till tekniska förvaltningen:"]  # fmt: skip
QUESTIONS = ["När kommer {f} att öppna igen?", "Varför {i2} {f}?", "Vem ansvarar för {f} vid {p}?",
             "Går det att boka {f} på kvällstid?", "Hur länge till ska vi vänta på besked om {f}?",
             "Kan ni förklara varför {f} {i}?", "Finns det planer på att bygga ut {f} i {p}?",
             "Vad kostar det att hyra {f} en lördag?", "Kan man anmäla fel på {f} via appen?",
             "Är det sant att {f} ska läggas ner?"]  # fmt: skip
STATEMENTS = ["{f} vid {p} {i}.", "Jag tycker att {f} i {p} {i}.", "Det är bra att {f} {i}.",
              "Många av oss som bor i {p} tycker att {f} {i}.", "Min granne säger att {f} {i}.",
              "Som pensionär i {p} märker jag att {f} {i}.", "Barnen i {p} är glada att {f} {i}.",
              "Jag har skrivit till er förut om att {f} {i}.", "Sedan i somras {i} {f} vid {p}.",
              "Som förälder i {p} vill jag säga att {f} {i}."]  # fmt: skip
ISSUE_VERB = {"har varit stängd i tre veckor": "har varit stängd", "behöver renoveras": "renoveras inte"}
TAILS = ["", "", "", " Tack på förhand.", " Mvh en orolig förälder.", " Hälsningar från en pensionär.",
         " Ni gör annars ett bra jobb.", " Svara gärna här.", " Det vore bra med ett svar.",
         " /Anna", " /Lars i Kyrkbyn", " Ha en fin dag!"]  # fmt: skip
NUMBER_SENTENCES = [
    "Mötet hålls den {date} kl. {time} i sal {room}.", "Beslutet fattades den {date}, ärende KS {year}/{case}.",
    "Fakturan på {amount} kr ska betalas till bankgiro {bg} senast den {date}.",
    "Vårt organisationsnummer är {org}, skriv det på fakturan.", "Föreningen har org.nr {org} och söker bidrag.",
    "Ange OCR-nummer {ocr} när du betalar.", "Postadressen är Box {box}, {postcode} Exempelstad.",
    "Vi betalade {amount} kronor för {count} platser.", "Sedan {year} har {count} nya bostäder byggts i {p}.",
    "Bussen går {time} och {time2} från hållplats {room}.", "Kundnummer {cust}, jag väntar fortfarande på svar.",
    "Ärendet har diarienummer {year}-{case}.", "Projektet kostar {amount} kr enligt protokollet från {date}.",
    "Beställningsnummer {order} har inte levererats.", "Fastigheten {p} {room}:{case} har fått bygglov.",
]  # fmt: skip


def _stable_split(text: str) -> str:
    h = int(hashlib.sha1(text.encode()).hexdigest()[:8], 16)
    return "heldout" if h % 10 < HELDOUT_SHARE else "tune"


def _date(rng: random.Random) -> str:
    d = datetime.date(2024, 1, 1) + datetime.timedelta(days=rng.randrange(900))
    month = ["januari", "mars", "maj", "juni", "oktober"][d.month % 5]
    return rng.choice([d.isoformat(), f"{d.day}/{d.month}", f"{d.day} {month}"])


def _org(rng: random.Random) -> str:
    while True:
        head = rng.choice(["2120", "2021", "5560", "5565", "5569", "8020", "8024", "7164", "9696"])
        nine = head + "".join(rng.choice("0123456789") for _ in range(5))
        for c in "0123456789":
            if luhn_ok(nine + c):
                full = nine + c
                return f"{full[:6]}-{full[6:]}" if rng.random() < 0.8 else full


def _ocr(rng: random.Random) -> str:
    n = rng.choice([8, 9, 11, 13, 15, 16, 18])
    body = "".join(rng.choice("0123456789") for _ in range(n - 1))
    return body + next(c for c in "0123456789" if luhn_ok(body + c))


def _fill_numbers(tpl: str, rng: random.Random) -> str:
    return tpl.format(
        date=_date(rng), time=f"{rng.randrange(6, 23)}.{rng.choice(['00', '15', '30', '45'])}",
        time2=f"{rng.randrange(6, 23)}.{rng.choice(['05', '20', '35', '50'])}", room=rng.randrange(1, 40),
        year=rng.randrange(2019, 2027), case=rng.randrange(1, 2400),
        amount=f"{rng.randrange(1, 900)} {rng.randrange(1000):03d}",
        bg=f"{rng.randrange(100, 9999)}-{rng.randrange(1000, 9999)}", org=_org(rng), ocr=_ocr(rng),
        box=rng.randrange(1, 999), postcode=f"{rng.randrange(100, 999)} {rng.randrange(10, 99)}",
        count=rng.randrange(2, 400), p=rng.choice(PLACES), cust=rng.randrange(10_000, 9_999_999),
        order=f"{rng.randrange(100, 999)}-{rng.randrange(10_000, 99_999)}",
    )  # fmt: skip


def ordinary_generated(rng: random.Random, n: int) -> list[str]:
    out: set[str] = set()
    while len(out) < n:
        f, p, i = rng.choice(FACILITIES), rng.choice(PLACES), rng.choice(ISSUES)
        r = rng.random()
        if r < 0.45:
            body = rng.choice(STATEMENTS).format(f=f, p=p, i=i)
        elif r < 0.8:
            body = rng.choice(QUESTIONS).format(f=f, p=p, i=i, i2=ISSUE_VERB.get(i, "fungerar inte"))
        else:
            body = _fill_numbers(rng.choice(NUMBER_SENTENCES), rng)
        text = (rng.choice(OPENERS) + " " + body[0].upper() + body[1:] + rng.choice(TAILS)).strip()
        out.add(text)
    return sorted(out)


# --------------------------------------------------------------------------- identity numbers

DASHES = ["-", "-", "-", "\u2013", "\u2212", "\u2011", " - ", " ", "\u00a0", ""]
ID_FRAMES = [
    "Mitt personnummer är {n}.", "Personnummer: {n}", "pnr {n}, ring mig", "Min son ({n}) fick ingen plats.",
    "Jag heter Anna Svensson, {n}, och vill överklaga.", "{n} – det är min mammas nummer, hjälp henne!",
    "Skicka beslutet till {n} Karlsson.", "Hans samordningsnummer är {n} om ni behöver det.",
    "Ärendet gäller {n}.", "Kontrollera {n} i ert system.", "pnr:{n}", "Han har nummer {n} hos Försäkringskassan.",
    "Tjejen som blev utan plats är {n}.", "ID {n}", "Mitt pnr är {n} och jag har inte fått svar.",
]  # fmt: skip
FULLWIDTH = str.maketrans("0123456789-", "０１２３４５６７８９－")


def _check(nine: str) -> str:
    return next(c for c in "0123456789" if luhn_ok(nine + c))


def _identity(rng: random.Random, kind: str) -> tuple[str, str]:
    """(number as written, kind) by the rules; ``kind``: person, coordination, unknown, old, century."""
    while True:
        if kind == "old":  # 99 years old on AS_OF: the century comes from the full date
            born = AS_OF.replace(year=AS_OF.year - 100) + datetime.timedelta(days=rng.randrange(1, 300))
        elif kind == "century":  # 100 or more: "+"
            born = datetime.date(rng.randrange(1910, 1925), rng.randrange(1, 13), rng.randrange(1, 29))
        else:
            born = datetime.date(1930, 1, 1) + datetime.timedelta(days=rng.randrange(0, 34_000))
            if born > AS_OF:
                continue
        serial = f"{rng.randrange(1, 1000):03d}"
        month, day = born.month, born.day
        if kind == "coordination":
            day += 60
        elif kind == "unknown":
            if rng.random() < 0.5:
                month, day = 0, 60
            else:
                day = 60
        yymmdd = f"{born.year % 100:02d}{month:02d}{day:02d}"
        digits = yymmdd + serial
        digits += _check(digits)
        label = "samordningsnummer" if kind in ("coordination", "unknown") else "personnummer"
        if kind == "century":
            return f"{digits[:6]}+{digits[6:]}", label
        if rng.random() < 0.3:
            sep = rng.choice(["-", "", "-", " "])
            return f"{born.year // 100}{digits[:6]}{sep}{digits[6:]}", label
        written = digits[:6] + rng.choice(DASHES) + digits[6:]
        if rng.random() < 0.08:
            written = written.translate(FULLWIDTH)
        return written, label


def identity_cases(rng: random.Random, n: int) -> list[dict]:
    kinds = ["person"] * 6 + ["coordination", "coordination", "unknown", "old", "century"]
    out = []
    # a published test personnummer (Skatteverket's test data set, as cited in public code)
    numbers = [("201701012393", "personnummer")] + [_identity(rng, rng.choice(kinds)) for _ in range(n - 1)]
    for number, _kind in numbers:
        frame = rng.choice(ID_FRAMES)
        text = frame.replace("{n}", number, 1)
        start = frame.index("{n}")
        out.append({"text": text, "labels": ["identity_number"],
                    "spans": {"identity_number": [[start, start + len(number)]]}, "source": "generated:identity"})
    return out


def near_identity_cases(rng: random.Random, n: int) -> list[dict]:
    """Numbers that are not identity numbers by the rules: organisation numbers, wrong check digit,
    serial 000, a future birth date."""
    out = []
    for k in range(n):
        kind = k % 4
        if kind == 0:
            number = _org(rng)
            frame = rng.choice(["Bolaget har organisationsnummer {n}.", "Org.nr {n}", "Fakturera {n}, tack.",
                                "Föreningens nummer är {n}."])
        else:
            born = datetime.date(1940, 1, 1) + datetime.timedelta(days=rng.randrange(0, 30_000))
            if kind == 3:
                born = AS_OF + datetime.timedelta(days=rng.randrange(400, 3000))
            serial = "000" if kind == 2 else f"{rng.randrange(1, 1000):03d}"
            nine = f"{born.year % 100:02d}{born.month:02d}{born.day:02d}{serial}"
            check = _check(nine)
            if kind == 1:
                check = str((int(check) + rng.randrange(1, 10)) % 10)
            if kind == 3:  # twelve digits: a ten-digit number would be read as the previous century
                number = f"{born.year // 100}{nine[:6]}-{nine[6:]}{check}"
            else:
                number = f"{nine[:6]}-{nine[6:]}{check}"
            frame = rng.choice(["Referens {n} i ert brev.", "Nummer {n} stämmer inte.", "Kod {n}"])
        out.append({"text": frame.replace("{n}", number), "labels": [], "source": "generated:not-identity"})
    return out


# --------------------------------------------------------------------------- phone, e-mail, links

FIRST = ["anna", "lars", "karin", "erik", "maria", "johan", "sara", "ali", "fatima", "per", "eva", "mohammed"]
LAST = ["svensson", "karlsson", "nilsson", "andersson", "hassan", "berg", "lind", "ek", "holm", "nyström"]
DOMAINS = ["gmail.com", "hotmail.se", "telia.com", "outlook.com", "exempel.se", "bredband.net", "icloud.com"]


AREA_CODES = ["0240", "0480", "0910", "0920", "0611", "0523", "0302", "0470", "0651", "0980", "0141", "0370"]


def phone_cases(rng: random.Random, n: int) -> list[dict]:
    out = []
    for _ in range(n):
        mob = f"07{rng.choice('02369')}"
        a, b, c = rng.randrange(100, 999), rng.randrange(10, 99), rng.randrange(10, 99)
        number = rng.choice([f"{mob}-{a} {b} {c}", f"{mob} {a} {b} {c}", f"{mob}-{a}{b}{c}",
                             f"+46 {mob[1:]} {a} {b} {c}", f"08-{a} {b}{c}", f"013-{b} {c} {rng.randrange(10, 99)}",
                             f"{rng.choice(AREA_CODES)}-{a} {b}"])
        frame = rng.choice(["Ring mig på {n}.", "Mitt nummer är {n}, ring efter fem.", "Nås på {n}",
                            "Kontakta mig på tel {n} så pratar vi.", "Hör av er till {n} om soptunnan."])
        out.append({"text": frame.replace("{n}", number), "labels": ["phone"], "source": "generated:phone"})
    return out


def email_cases(rng: random.Random, n: int) -> list[dict]:
    out = []
    for _ in range(n):
        local = rng.choice(FIRST) + rng.choice([".", "_", ""]) + rng.choice(LAST) + rng.choice(["", "", "72", "1990"])
        dom = rng.choice(DOMAINS)
        addr = rng.choice([f"{local}@{dom}", f"{local} (at) {dom}", f"{local}[at]{dom}", f"{local} [snabel-a] {dom}"])
        frame = rng.choice(["Mejla mig på {n}.", "Min e-post: {n}", "Skicka svaret till {n}, tack.",
                            "Kontakt: {n}"])
        out.append({"text": frame.replace("{n}", addr), "labels": ["email"], "source": "generated:email"})
    return out


def link_cases(rng: random.Random, n: int) -> list[dict]:
    out = []
    sites = ["billigaklockor.xyz", "vinn-en-iphone.top", "spam-shop.xyz", "kryptovinst.io", "rabattkoder.nu",
             "mitt-foretag.se", "www.rea-rea.com", "lanapengar.online"]  # fmt: skip
    for _ in range(n):
        site = rng.choice(sites)
        url = rng.choice([f"https://{site}/erbjudande", f"www.{site.removeprefix('www.')}", f"{site}/kampanj",
                          f"http://{site}"])
        frame = rng.choice(["Kolla in {n} för billiga grejer!", "Bästa priserna på {n}", "Läs mer på {n}",
                            "{n} – klicka nu", "Följ min sida {n}"])
        out.append({"text": frame.replace("{n}", url), "labels": ["link"], "source": "generated:link"})
    return out


# --------------------------------------------------------------------------- profanity as written

# Swedish, Norwegian and Danish swearing as people write it (chosen from usage, not from the
# detector's list): inflections, compounds, fused forms, words without umlauts.
PROFANE = [
    "jävla", "jävlar", "jävlarna", "jävligt", "jävel", "jäveln", "javla", "javlar", "djävla", "fan", "fy fan",
    "fyfan", "vafan", "va fan", "fan i helvete", "för fan", "helvete", "helvetet", "helvetes", "fitta", "fittan",
    "fittor", "fittorna", "fitthuvud", "kuk", "kuken", "kukar", "kukhuvud", "hora", "horan", "horor", "horunge",
    "knulla", "knullar", "skitstövel", "satan", "satans", "faen", "fy faen", "fanden", "jævla", "helvede",
    "röven", "rövhål", "arsle", "fuck", "fucking", "shit", "wtf", "skattejävlar", "politikerjävlar",
    "kommunjävel", "idiotjävel", "fittjävel", "kukjävel", "fanskapet", "tamejfan", "fanimej", "jävulen",
]  # fmt: skip
PROFANE_FRAMES = [
    "{w}, varför plogar ni aldrig vår gata?", "Vilken {w} soppa det här är.", "Ni är {w} värdelösa.",
    "{w} vad dåligt skött det här är.", "Det är {w} pinsamt av kommunen.", "{w}! Bussen kom inte igen.",
    "Skärp er för {w}, det är farligt på vägen.", "Era {w} regler förstör allt.", "Tack för {w} ingenting.",
    "Ingen svarar i växeln, {w}.", "{w} kommun.", "Kan ni {w} laga gatlyktan nu?",
]  # fmt: skip
LEET = str.maketrans({"i": "1", "a": "4", "e": "3", "o": "0"})


def _obfuscate(w: str, rng: random.Random) -> str:
    r = rng.random()
    if r < 0.15:
        return w.upper()
    if r < 0.25:
        return w.translate(LEET)
    if r < 0.35 and " " not in w and len(w) <= 6:
        return rng.choice([".", "-", " "]).join(w)
    if r < 0.45:
        v = [i for i, c in enumerate(w) if c in "aeiouyåäö"]
        if v:
            i = v[0]
            return w[:i] + w[i] * rng.randrange(3, 6) + w[i + 1 :]
    if r < 0.52:
        v = [i for i, c in enumerate(w) if c in "aeiouyåäö" and i > 0]
        if v and len(w) >= 4:
            i = rng.choice(v)
            return w[:i] + "*" + w[i + 1 :]
    if r < 0.6:
        return w.capitalize()
    return w


def profanity_cases(rng: random.Random, n: int) -> list[dict]:
    out = []
    seen = set()
    while len(out) < n:
        w = _obfuscate(rng.choice(PROFANE), rng)
        frame = rng.choice(PROFANE_FRAMES)
        text = frame.replace("{w}", w)
        text = text[0].upper() + text[1:]
        if text in seen:
            continue
        seen.add(text)
        out.append({"text": text, "labels": ["profanity"], "source": "generated:profanity"})
    return out


# --------------------------------------------------------------------------- word lists


def word_labels() -> dict[str, list[str]]:
    """Words of the word lists that a reader would not call ordinary (labelled by hand, see README)."""
    out: dict[str, list[str]] = {}
    path = CORPUS / "word_labels.tsv"
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            word, labels = line.split("\t")
            out[word] = [x for x in labels.split(",") if x and x != "ordinary"]
    return out


def wordfreq_words(n: int) -> list[str]:
    from wordfreq import top_n_list

    words = [w for w in top_n_list("sv", n * 2) if w.isalpha()]
    return words[:n]


def wswedish_words(rng: random.Random, n: int) -> list[str]:
    words = [w for w in WSWEDISH.read_text(encoding="latin-1").split() if w.isalpha() and len(w) > 2]
    return rng.sample(sorted(set(words)), n)


# --------------------------------------------------------------------------- assembly


def written() -> list[dict]:
    out = []
    for line in (WRITTEN / "ordinary.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            out.append({"text": line.strip(), "labels": [], "source": "written:ordinary"})
    for line in (WRITTEN / "positives.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            labels, text = line.split("\t", 1)
            out.append({"text": text.strip(), "labels": labels.split(","), "source": "written:positive"})
    return out


def build() -> list[dict]:
    rng = random.Random(SEED)
    cases = written()
    cases += [{"text": t, "labels": [], "source": "generated:ordinary"} for t in ordinary_generated(rng, 1500)]
    cases += identity_cases(rng, 400)
    cases += near_identity_cases(rng, 120)
    cases += phone_cases(rng, 60) + email_cases(rng, 40) + link_cases(rng, 40)
    cases += profanity_cases(rng, 250)
    labels = word_labels()
    for w in wordfreq_words(3000):
        cases.append({"text": w, "labels": labels.get(w, []), "source": "wordfreq:sv"})
    for w in wswedish_words(rng, 2000):
        cases.append({"text": w, "labels": labels.get(w, []), "source": "wswedish"})
    seen = set()
    out = []
    for c in cases:
        if c["text"] in seen:
            continue
        seen.add(c["text"])
        c["split"] = _stable_split(c["text"])
        c["id"] = len(out) + 1
        out.append(c)
    return out


def main() -> int:
    cases = build()
    path = CORPUS / "corpus.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for c in cases:
            fh.write(json.dumps({k: c[k] for k in ("id", "text", "labels", "spans", "source", "split") if k in c},
                                ensure_ascii=False) + "\n")
    positives = sum(1 for c in cases if c["labels"])
    print(f"{len(cases)} cases ({len(cases) - positives} ordinary, {positives} positive) -> {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
