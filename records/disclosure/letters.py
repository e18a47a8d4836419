"""The texts sent to a requester: the official's notice of a refusal and the authority's decision.

Pure functions (no writes): services render them with records.pdf and store the PDF.

- The notice (OSL 6 kap. 3 §): what was refused, wholly or partly (a masked release names each
  withheld part and its OSL ground), that this is an official's answer, that the requester may at
  any time ask for the authority's written decision, and that only that decision can be appealed.
- The decision (myndighetens beslut): every target with its outcome, the provisions (TF 2 kap. 1,
  2, 15 och 19 §§, OSL 6 kap. 3 och 7–8 §§ and the secrecy provision of each withheld part), the
  reasoning (förvaltningslagen 32 §), who decided under which delegation, and how to appeal
  (förvaltningslagen 33 §: to the kammarrätt, lodged with the authority within three weeks of
  receiving the decision, förvaltningslagen 44 §).
Masked text itself is never quoted: a part is named by its kind ("avsändare/mottagare", "2
avsnitt i innehållet"), never by its content.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from records.disclosure.models import DisclosureItem, DisclosureOutcome, DisclosureRequest
from records.disclosure.targets import PART_LABELS

OUTCOME_TEXT = {
    DisclosureOutcome.RELEASE: "Lämnas ut",
    DisclosureOutcome.RELEASE_MASKED: "Lämnas ut med maskering (avslag i de maskerade delarna)",
    DisclosureOutcome.REFUSE: "Lämnas inte ut (avslag)",
}
GENERAL_GROUNDS = (
    "Var och en har rätt att ta del av allmänna handlingar (2 kap. 1 § tryckfrihetsförordningen, TF). Rätten "
    "kan begränsas bara genom bestämmelser om sekretess i offentlighets- och sekretesslagen, OSL (2 kap. 2 § TF). "
    "En handling som inte kan lämnas ut i sin helhet ska göras tillgänglig i de delar som inte omfattas av "
    "sekretess (2 kap. 15 § TF)."
)


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: list[str]


def organisation() -> str:
    return settings.UPPSIKT_ORGANISATION_NAME


def _ground_text(code: str, titles: dict[str, str]) -> str:
    title = titles.get(code)
    return f"{code} ({title})" if title else code


def masked_parts_text(item: DisclosureItem, titles: dict[str, str] | None = None) -> str:
    """ "avsändare/mottagare enligt OSL 21 kap. 3 §; 2 avsnitt i innehållet enligt OSL 26 kap. 1 §" """
    titles = titles or {}
    groups: OrderedDict[tuple[str, str], int] = OrderedDict()
    for entry in item.masked_parts or []:
        part = entry.get("part")
        if part == "content" and "start" in entry:
            key = ("span", entry.get("legal_ground", ""))
        elif part == "attachment":
            key = (f"attachment:{entry.get('index', 0)}", entry.get("legal_ground", ""))
        else:
            key = (part, entry.get("legal_ground", ""))
        groups[key] = groups.get(key, 0) + 1
    texts = []
    for (kind, code), count in groups.items():
        if kind == "span":
            what = "1 avsnitt i innehållet" if count == 1 else f"{count} avsnitt i innehållet"
        elif kind.startswith("attachment:"):
            what = f"bilaga {int(kind.split(':')[1]) + 1} i sin helhet"
        else:
            what = f"{PART_LABELS.get(kind, kind)} i sin helhet" if kind == "content" else PART_LABELS.get(kind, kind)
        texts.append(f"{what} enligt {_ground_text(code, titles)}" if code else what)
    return "; ".join(texts)


def outcome_line(item: DisclosureItem, titles: dict[str, str]) -> str:
    label = item.label or item.description or "Begärd handling"
    text = OUTCOME_TEXT.get(item.outcome, item.get_outcome_display())
    if item.outcome == DisclosureOutcome.RELEASE_MASKED:
        return f"{label}: {text}. Maskerade delar: {masked_parts_text(item, titles)}. Handlingen lämnas i övrigt ut."
    if item.outcome == DisclosureOutcome.REFUSE:
        ground = _ground_text(item.legal_ground.code, titles) if item.legal_ground_id else "—"
        return f"{label}: {text} enligt {ground}."
    return f"{label}: {text}."


def _refused(items: list[DisclosureItem]) -> list[DisclosureItem]:
    return [i for i in items if i.is_refusal]


def notice_paragraphs(request: DisclosureRequest, items: list[DisclosureItem], titles: dict[str, str]) -> list[str]:
    """OSL 6 kap. 3 §: the official's notice of a (partial) refusal with the offer of a decision."""
    refused = _refused(items)
    if not refused:
        return []
    org = organisation()
    return [
        "Det du begärt kan inte lämnas ut i sin helhet:",
        *[outcome_line(i, titles) for i in refused],
        "Detta är ett besked från den tjänsteman som handlägger din begäran. Du har rätt att begära att "
        f"{org} prövar frågan och fattar ett skriftligt beslut (6 kap. 3 § offentlighets- och sekretesslagen). "
        "Det kan du begära när som helst, även efter att begäran har avslutats. Bara myndighetens skriftliga "
        "beslut kan överklagas, hos kammarrätten (2 kap. 19 § tryckfrihetsförordningen, 6 kap. 7–8 §§ "
        f"offentlighets- och sekretesslagen). Ange referensen {request.reference} när du hör av dig.",
    ]


def notice_text(request: DisclosureRequest, items: list[DisclosureItem], titles: dict[str, str]) -> str:
    return " ".join(notice_paragraphs(request, items, titles))


def _date(value) -> str:
    if value is None:
        return "—"
    if hasattr(value, "hour"):
        value = timezone.localtime(value).date()
    return value.isoformat()


def decision_sections(*, request: DisclosureRequest, items: list[DisclosureItem], titles: dict[str, str],
                      setting, decider: str, reasoning: str) -> list[Section]:
    """The authority's decision, section by section (see the module docstring for the law)."""
    org = organisation()
    body = setting.deciding_body
    refused = _refused(items)
    released_any = any(i.outcome in (DisclosureOutcome.RELEASE, DisclosureOutcome.RELEASE_MASKED) for i in items)
    operative = (f"{body} avslår begäran i de delar som anges nedan och lämnar i övrigt ut handlingarna."
                 if released_any else f"{body} avslår begäran.")
    background = [
        f"Du begärde den {_date(request.received_at)} att få ta del av allmänna handlingar hos {org} "
        f"(referens {request.reference}).",
    ]
    if request.refusal_notified_at:
        background.append(f"Den {_date(request.refusal_notified_at)} fick du besked om att begäran inte kunde "
                          "bifallas i sin helhet.")
    background.append(f"Den {_date(request.decision_requested_on)} begärde du att myndigheten skulle pröva frågan "
                      "genom ett skriftligt beslut (6 kap. 3 § offentlighets- och sekretesslagen).")
    grounds = [GENERAL_GROUNDS]
    for item in refused:
        code = item.legal_ground.code if item.legal_ground_id else ""
        why = (f"De uppgifter som inte lämnas ut omfattas av sekretess: {masked_parts_text(item, titles)}."
               if item.outcome == DisclosureOutcome.RELEASE_MASKED
               else f"Uppgifterna i handlingen omfattas av sekretess enligt {_ground_text(code, titles)}.")
        grounds.append(f"{item.label}: {why} {item.reasoning.strip()}".strip())
    grounds.append(reasoning.strip())
    delegation = f", enligt {setting.delegation}," if setting.delegation else ""
    court = setting.appeal_court or "kammarrätten"
    appeal = (
        f"Du kan överklaga beslutet hos {court} (2 kap. 19 § tryckfrihetsförordningen, 6 kap. 7–8 §§ "
        f"offentlighets- och sekretesslagen). Överklagandet ska vara skriftligt och skickas eller lämnas till "
        f"{org}, inte till {court}. Det ska ha kommit in till {org} inom tre veckor från den dag du fick del av "
        "beslutet (44 § förvaltningslagen); ett överklagande som kommit in för sent prövas inte (45 § "
        f"förvaltningslagen). Skriv vilket beslut du överklagar (beslutet den {_date(timezone.localdate())} i "
        f"ärendet om din begäran {request.reference}), vilken ändring du vill ha och varför. Om {org} inte "
        f"ändrar beslutet på det sätt du begärt skickas överklagandet vidare till {court}."
    )
    return [
        Section("Beslut", [operative, *[f"{n}. {outcome_line(i, titles)}" for n, i in enumerate(items, 1)]]),
        Section("Bakgrund", background),
        Section("Skäl för beslutet (32 § förvaltningslagen)", grounds),
        Section("Beslutande", [f"Beslutet har fattats av {body}{delegation} av {decider}, "
                               f"{setting.delegate_title}."]),
        Section("Hur man överklagar (33 § förvaltningslagen)", [appeal]),
    ]


def sections_text(heading: str, sections: list[Section]) -> str:
    """The plain text of a decision (what the registered document's content holds)."""
    blocks = [heading]
    for section in sections:
        blocks.append(section.heading)
        blocks.extend(section.paragraphs)
    return "\n\n".join(blocks)
