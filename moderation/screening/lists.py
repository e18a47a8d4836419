"""The default detectors (the demo's, and what ``bench/bench_screening_quality.py`` measures).

Word lists follow ``terms``: plain words get their inflections and the dictionary's compounds when
the detector is saved (``morphology``); ``=word`` is exactly that word; ``*word`` a compound end;
phrases match token by token, with ``(a|b)`` alternatives. Threats and crimes are phrases with a
person or a place as the object, so "döda alla maskrosor", "spränga budgeten", "bränna ner riset"
and "Sprängarbeten" stay ordinary Swedish.

Each entry: ``(name, kind, rule code, action, terms, allow)``. The action is what the municipality
wants; a detector may hold only when its measured precision allows it (``evaluation``).
"""

from __future__ import annotations

_SUBJ = "(jag|vi|jag och mina vänner|vi och våra vänner)"
_WILL = "(ska|skall|kommer att|kommer|tänker|ska fan|kommer fan att)"
# verbs and objects that are never ordinary together: no "dem" (weeds, pests, game, pictures to hang),
# no "hänga", "bränna", "slakta", "spränga" of persons (paintings, leaves, animals, rock)
_KILL = ("(döda|mörda|skjuta|skjuta ihjäl|knivhugga|hugga ihjäl|slå ihjäl|sparka ihjäl|strypa|ha ihjäl|"
         "avrätta|ta livet av|misshandla|våldta|tända eld på|sätta eld på)")
_PERSON = ("(dig|er|honom|henne|er alla|hela familjen|din familj|er familj|dina barn|era barn|"
           "politikerna|alla politiker|alla politikerna|kommunalrådet|tjänstemännen|alla tjänstemän|handläggaren|"
           "hela kommunstyrelsen|hela fullmäktige|borgmästaren|rektorn|varenda en av er|den som|alla som|"
           "var och en av er)")
_PLACE = ("(stadshuset|kommunhuset|ert kontor|kontoret|skolan|förskolan|biblioteket|ditt hus|ert hus|huset|"
          "moskén|kyrkan|synagogan|simhallen|kommunkontoret|hela skiten|hela kommunhuset|hela stadshuset)")

PROFANITY = [
    # the devil and hell, as written: exact forms of "fan" (its dictionary forms include "fann")
    "=fan", "=fanen", "fanskap", "fy fan", "=fyfan", "=vafan", "va fan", "vad fan", "för fan", "fan också",
    "fan heller", "fan i helvete", "=fanimej", "=fanimig", "=fantamej", "=tamejfan",
    "=faen", "fy faen", "=fanden", "=fandens", "=helvede", "=satan", "=satans", "=sate", "=sattyg",
    "djävul", "=djävulen", "helvete", "=helvetes", "=helvetet",
    "jävel", "*jävel", "jävl*", "javl*", "djävl*", "=jävulen", "jævl*", "=jävligt",
    "=javla", "=javlar", "=javligt",
    # obscene words
    "fitta", "*fitta", "fitt*", "kuk", "*kuk", "hora", "*hora", "knulla", "knull*", "=knull",
    "=kuksugare", "röv", "*röv", "rövhål", "arsle", "=pitt", "=pittar", "=mutta",
    "skit", "skitstövel", "=skitstövlar", "=skitsnack", "=skitprat", "=skitig", "=piss", "=pissa",
    # borrowed
    "fuck*", "=motherfucker", "=shit", "=bullshit", "=wtf", "=bitch", "=bitches", "=asshole",
]  # fmt: skip
PROFANITY_ALLOW = [
    "Fittja*", "Kukkola", "Kukkolaforsen", "Kuksu",
    "fan: ett fan, ett stort fan, stort fan av, ett riktigt fan, fan av",
    "röv: Rövarhistorier",
]  # fmt: skip

HATE = [
    "neger", "=negrer", "=negrerna", "blatte", "svartskalle", "=sandneger", "apjävel", "zigenarjävel",
    "judejävel", "muslimjävel", "invandrarjävel", "bögjävel", "blattejävel", "svartskallejävel",
    "=feminazi", "=feminazister", "=feminazisterna",
    "slampa", "slyna", "=mongo", "=mongon", "=mongoloid",
    "(judar|muslimer|invandrare|svarta|somalier|romer|bögar|homosexuella) är (ohyra|parasiter|djur|kackerlackor|"
    "avskum|pack|en cancer|smuts)",
    "(skicka|kasta|släng) ut (alla|varenda) (invandrare|muslimer|svartskallar|blattar|judar|somalier|romer)",
    "=rasförrädare", "=rasförrädarna", "=feminazist",
    "(är|som|är bara) (parasiter|ohyra|kackerlackor|avskum|snyltare) (på|i|för) (samhället|sverige|kommunen|oss|"
    "våra skatter|landet)",
]  # fmt: skip

THREAT = [
    f"{_WILL} {_KILL} {_PERSON}",
    f"{_SUBJ} {_WILL} (spränga|bränna ner|bränna upp|tända eld på|sätta eld på|skjuta sönder) {_PLACE}",
    "(du|ni) (ska|kommer att|kommer) (dö|dödas|mördas|skjutas|hängas|brännas|få en kula)",
    "(du|ni) är (död|döda|dödens) (om|när)",
    "(jag|vi) vet var (du|ni|hon|han) bor",
    "(jag|vi) vet vilken skola (dina|era) barn går",
    "någon (borde|skulle|måste) (döda|skjuta|mörda|spränga|hänga) (dig|er|honom|henne|dem|politikerna)",
    f"någon (borde|skulle|måste) (spränga|bränna ner|sätta eld på) {_PLACE}",
    "(ni|du) ska få se vad som händer (om|när)",
    "(hoppas|önskar) (att|) (du|ni|han|hon) (dör|blir våldtagen|blir skjuten|blir mördad|får en kula)",
    "(en kula|kulor) (i huvudet|i skallen) på (dig|er|honom|henne|dem|politikerna)",
    "(akta er|akta dig|se upp) (för nästa gång|när ni går hem|när du går hem)",
    "(ni|du) kommer att (ångra|få ångra) (er|dig) (bittert|när ni minst anar det)",
]  # fmt: skip

CRIME = [
    "(säljer|köper|langar|fixar) (knark|hasch|kokain|kola|amfetamin|tjack|heroin|droger|gräs|weed|spice|"
    "sprit till minderåriga|vapen|skjutvapen|falska id-kort)",
    "(köp|beställ) (knark|hasch|kokain|droger|tjack|vapen) (här|av mig|hos mig|billigt)",
    "(swisha|swish) (mig|hit) (för|så får du) (knark|hasch|kokain|gräs|tjack)",
    "(bränn|spräng|vandalisera|krossa|sabotera) (stadshuset|kommunhuset|skolan|bilarna|rutorna|polisbilarna)",
    "(slå sönder|sätt eld på|tänd eld på) (stadshuset|kommunhuset|skolan|polisbilarna|bilarna|busskuren)",
    "(fuska|fusk) med (bidrag|bostadsbidrag|försörjningsstöd) (så här|är lätt|gör alla)",
    "(ring|skicka) (bomb|bombhot) (till|mot) (skolan|stadshuset|kommunhuset)",
]  # fmt: skip

PORN = [
    "porr*", "=xxx", "pornografi", "=porno", "=pornos", "=nudes", "=onlyfans", "=pornhub", "=xvideos",
    "sexvideo*", "=sexfilm", "=sexfilmer", "=camgirl", "=camgirls", "=sexchatt", "=nakenchatt",
    "(gratis|heta|nakna) (tjejer|brudar|singeltjejer) (här|i ditt område|nära dig)",
]  # fmt: skip

DEFAMATION = [
    "(du|han|hon|hen|ni|dom|de|politikern|kommunalrådet|rektorn|chefen) är (en|ett) (tjuv|lögnare|bedragare|"
    "skurk|pedofil|mutkolv|våldtäktsman|kriminell|korrupt svin|svin|as|idiot|pucko|fegis|lögnhals|psykopat)",
    "(ni|de|dom|politikerna|tjänstemännen) är (tjuvar|lögnare|bedragare|skurkar|pedofiler|korrupta svin|svin|"
    "idioter|puckon|psykopater|kriminella|maffia)",
    "=idiot", "=idioten", "=idioter", "=idioterna", "=pucko", "=puckot", "=mähä", "=fjolla",
    "=cp-skadad", "=efterbliven", "=efterblivna", "=dumhuvud", "=dumhuvuden",
]  # fmt: skip

DISINFORMATION = [
    "vattnet är förgiftat", "(vaccinet|vaccinerna|sprutan) innehåller (ett chip|chip|mikrochip|gift|nanorobotar)",
    "5g (sprider|orsakar|ger) (corona|covid|cancer)", "=chemtrails",
    "(valet|röstningen|rösträkningen) (var|är|blev) (riggat|riggad|fejkad|fejkat|manipulerat|manipulerad)",
    "(kranvattnet|dricksvattnet) (innehåller|har) (fluor för att|gift för att) (lugna|kontrollera|förgifta)",
    "kommunen (sprider|sprayar) gift (från|över)",
]  # fmt: skip

COPYRIGHT = [
    "(gratis|piratkopierad|piratkopierade|olagligt nedladdade) (film|filmer|musik|serier|spel)",
    "(ladda ner|ladda hem|streama) (gratis |alla |)(filmer|serier|matcher|musik) (här|på min sida|gratis)",
    "(kopierat|kopierade|tagit|snott) (bilden|bilderna|texten|fotot) (från|av) (en fotograf|nätet|någon annan)",
]  # fmt: skip

DEFAULT_DETECTORS: list[tuple[str, str, str, str, list[str], list[str]]] = [
    ("Svordomar och obscena ord", "words", "profanity", "flag", PROFANITY, PROFANITY_ALLOW),
    ("Misstänkt hets och trakasserier", "words", "hate", "flag", HATE, []),
    ("Hot", "words", "threat", "hold", THREAT, []),
    ("Förolämpningar mot personer", "words", "defamation", "flag", DEFAMATION, []),
    ("Uppmaning till brott", "words", "crime", "flag", CRIME, []),
    ("Kända vilseledande påståenden", "words", "disinformation", "flag", DISINFORMATION, []),
    ("Pornografi", "words", "violence_porn", "hold", PORN, []),
    ("Upphovsrätt", "words", "copyright", "flag", COPYRIGHT, []),
    ("Personnummer och samordningsnummer", "identity_number", "gdpr", "hold", [], []),
    ("Telefonnummer", "phone", "gdpr", "flag", [], []),
    ("E-postadresser", "email", "gdpr", "flag", [], ["exempelstad.se"]),
    ("Blockerade domäner", "link_domain", "harmful_link", "flag", ["skadligsida.example", "hatforum.example"], []),
    ("Länkar (möjlig reklam)", "link", "advertising", "flag", [], ["exempelstad.se", "krisinformation.se",
                                                                  "1177.se"]),
]


def default_specs(*, expand: bool = True):
    """The default detectors as engine specs (ids 1…n), with the dictionary's forms when ``expand``."""
    from .morphology import expand_terms
    from .specs import DetectorSpec

    specs = []
    for i, (name, kind, rule, action, terms, allow) in enumerate(DEFAULT_DETECTORS, start=1):
        forms = ()
        if expand and kind == "words":
            forms = tuple((t, tuple(f)) for t, f in expand_terms(terms).items())
        specs.append(DetectorSpec(id=i, kind=kind, rule=rule, action=action, terms=tuple(terms), allow=tuple(allow),
                                  name=name, forms=forms))
    return specs
