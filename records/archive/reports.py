"""The archive description (arkivbeskrivning) and the archive inventory (arkivförteckning), as PDF/A.

Arkivlagen (1990:782) 6 § asks every authority to describe its archive (what kinds of records it
holds, how they are organised, the systems, what is kept and purged, how to find and request them)
and to list it (arkivförteckning). Both are generated here from what Uppsikt already knows: the
information management plan (records.retention RetentionClass, read only), the diarium's series,
cases and documents, the secrecy grounds in use, the executed purge lists and the deliveries to the
e-archive. Only counts, dates and public names appear: no titles, senders or content.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.conf import settings
from django.db.models import Count, Max, Min, Q
from django.utils import timezone

from accounts.models import AuditAction
from accounts.services import audit_record
from records import registry
from records.models import (
    ArchiveDelivery,
    Case,
    Document,
    LegalGround,
    PurgeList,
    RetentionAction,
    RetentionClass,
    RetentionTrigger,
    SecrecyMarking,
    Series,
)
from records.pdf import ReportSection, render_report_pdf

__all__ = ["archive_description_pdf", "archive_inventory_pdf"]

_TRIGGERS = dict(RetentionTrigger.choices)


def _period(cls: RetentionClass) -> str:
    if cls.action == RetentionAction.KEEP:
        return "Bevaras"
    if cls.period_days is None:
        return "Gallras efter bedömning"
    years, days = divmod(cls.period_days, 365)
    span = f"{years} år" if years and not days else f"{cls.period_days} dagar"
    return f"Gallras {span} efter {str(_TRIGGERS.get(cls.trigger, cls.trigger)).lower()}"


def _decision(cls: RetentionClass) -> str:
    parts = [cls.decision_body, cls.decision_date.isoformat() if cls.decision_date else "", cls.decision_reference]
    return ", ".join(p for p in parts if p) or "—"


def _held_per_class() -> dict[str, dict]:
    """Per class code: how many objects Uppsikt still holds under it, and their earliest and latest due date
    (one grouped query per kind of object the plan covers)."""
    held: dict[str, dict] = defaultdict(lambda: {"count": 0, "first": None, "last": None, "kinds": set()})
    targets = [(t.label, t.queryset(), t.class_field, t.due_field) for t in registry.retention_targets()]
    targets += [("Handling", Document.objects.filter(purged_at__isnull=True), "retention_class", "retention_due"),
                ("Ärende", Case.objects.filter(purged_at__isnull=True), "retention_class", "retention_due")]
    seen: set = set()
    for label, queryset, class_field, due_field in targets:
        model = queryset.model
        if model in seen:
            continue
        seen.add(model)
        key = f"{class_field}__code" if model._meta.get_field(class_field).is_relation else class_field
        rows = (queryset.exclude(**{f"{key}__isnull": True}).exclude(**{key: ""}).values(key)
                .annotate(n=Count("pk"), first=Min(due_field), last=Max(due_field)))
        for row in rows:
            entry = held[row[key]]
            entry["count"] += row["n"]
            entry["kinds"].add(label)
            for bound, pick in (("first", min), ("last", max)):
                if row[bound] is not None:
                    entry[bound] = row[bound] if entry[bound] is None else pick(entry[bound], row[bound])
    return held


def _classes_section(held: dict[str, dict]) -> ReportSection:
    rows = []
    for cls in RetentionClass.objects.order_by("order", "code"):
        h = held.get(cls.code, {"count": 0, "first": None, "last": None, "kinds": set()})
        due = "—"
        if h["first"]:
            due = f"{h['first']:%Y-%m-%d} – {h['last']:%Y-%m-%d}"
        rows.append([cls.code, cls.name + ("" if cls.active else " (inte aktiv)"), _period(cls), _decision(cls),
                     str(h["count"]), due])
    return ReportSection(
        "Serier enligt informationshanteringsplanen",
        ["Varje klass i planen med vad som finns i Uppsikt i dag (ej gallrat) och när det tidigast får gallras."],
        ["Klass", "Benämning", "Bevaras/gallras", "Gallringsbeslut", "Antal", "Gallras tidigast"],
        rows, widths=[16, 48, 34, 38, 14, 30])


def _diarium_section() -> ReportSection:
    cases = {(r["series__code"], r["year"]): r for r in Case.objects.values("series__code", "year").annotate(
        n=Count("pk"), top=Max("sequence"), opened=Min("opened_at"))}
    docs = {(r["case__series__code"], r["case__year"]): r for r in Document.objects.values(
        "case__series__code", "case__year").annotate(
        n=Count("pk"), voided=Count("pk", filter=Q(voided=True)), purged=Count("pk", filter=Q(purged_at__isnull=False)),
        first=Min("date"), last=Max("date"))}
    rows = []
    for key in sorted(cases, key=lambda k: (k[0], k[1])):
        c, d = cases[key], docs.get(key, {})
        span = f"{d['first']:%Y-%m-%d} – {d['last']:%Y-%m-%d}" if d.get("first") else "—"
        rows.append([key[0], str(key[1]), f"{c['n']} (1–{c['top']})", str(d.get("n", 0)), str(d.get("voided", 0)),
                     str(d.get("purged", 0)), span])
    return ReportSection(
        "Diariet (registratur)",
        ["Diariet bevaras i sin helhet: en gallrad eller makulerad handling behåller sin rad i diariet."],
        ["Serie", "År", "Ärenden (nummer)", "Handlingar", "Makulerade", "Gallrade", "Datum"],
        rows, widths=[18, 14, 30, 22, 22, 18, 46])


def _deliveries_section() -> ReportSection:
    rows = [[d.case.number, d.package_id, f"{timezone.localtime(d.exported_at):%Y-%m-%d}",
             d.received_on.isoformat() if d.received_on else "väntar på kvittens", d.archive_reference or "—"]
            for d in ArchiveDelivery.objects.select_related("case").order_by("exported_at", "id")]
    return ReportSection("Leveranser till e-arkivet", ["Ärenden som lämnats till e-arkivet som E-ARK SIP-paket "
                                                        "(FGS Paketstruktur 2.0) med innehållet som PDF/A-2b."],
                         ["Ärende", "Paket", "Skapat", "Mottaget", "Arkivets referens"], rows,
                         widths=[26, 64, 22, 30, 28])


def _purges_section() -> ReportSection:
    rows = [[p.reference, f"{timezone.localtime(p.executed_at):%Y-%m-%d}", str(p.n)]
            for p in PurgeList.objects.filter(executed_at__isnull=False).annotate(n=Count("lines")).order_by(
                "executed_at")]
    return ReportSection("Verkställd gallring", ["Gallringslistor som verkställts, med antal rader. Varje gallring "
                                                 "finns i gallringsloggen."],
                         ["Gallringslista", "Verkställd", "Rader"], rows, widths=[40, 30, 20])


def _header(title: str) -> tuple[str, list[tuple[str, str]]]:
    org = settings.UPPSIKT_ORGANISATION_NAME
    first = Document.objects.aggregate(first=Min("date"))["first"]
    meta = [("Arkivbildare", f"{org} ({settings.UPPSIKT_ORGANISATION_ID})"),
            ("Arkiv", settings.UPPSIKT_DIARIUM_NAME),
            ("System", "Uppsikt"),
            ("Tid", f"{first:%Y-%m-%d} –" if first else "—"),
            ("Upprättad", f"{timezone.localdate():%Y-%m-%d}")]
    return org, meta


def archive_inventory_pdf(*, actor, today: date | None = None) -> bytes:
    """The arkivförteckning: the plan's series with what is held under each, the diarium per series and
    year, deliveries to the e-archive and executed purges. PDF/A-2b. The download is audited."""
    org, meta = _header("Arkivförteckning")
    sections = [_classes_section(_held_per_class()), _diarium_section(), _deliveries_section(), _purges_section()]
    data = render_report_pdf(title="Arkivförteckning", organisation=org, meta=meta, sections=sections,
                             footer=f"{org} · Arkivförteckning", created=today or timezone.localdate())
    audit_record(actor=actor, action=AuditAction.EXPORT, target=None, detail={"event": "archive_inventory"})
    return data


def archive_description_pdf(*, actor, today: date | None = None) -> bytes:
    """The arkivbeskrivning: who keeps the archive and why, how it is organised (diarium series,
    classification), what is kept and purged (the plan with its decisions), secrecy, and how to find
    and request the records. PDF/A-2b. The download is audited."""
    org, meta = _header("Arkivbeskrivning")
    main = getattr(settings, "UPPSIKT_MAIN_DIARIUM_SYSTEM", "") or "kommunens huvuddiarium"
    series_rows = [[s.code, s.name, s.body or "—", s.format_case_number(2026, 12), "aktiv" if s.active else "avslutad"]
                   for s in Series.objects.order_by("code")]
    classes = [[c.code, c.name, c.covers or "—", _period(c), _decision(c)]
               for c in RetentionClass.objects.filter(active=True).order_by("order", "code")]
    grounds = {r["legal_ground__code"]: r["n"] for r in SecrecyMarking.objects.filter(lifted_at__isnull=True)
               .values("legal_ground__code").annotate(n=Count("pk"))}
    ground_rows = [[g.code, g.title, str(grounds.get(g.code, 0))] for g in LegalGround.objects.order_by("code")
                   if g.active or grounds.get(g.code)]
    delivered = ArchiveDelivery.objects.filter(receipt_recorded_at__isnull=False).count()
    sections = [
        ReportSection("Arkivbildare och verksamhet", [
            f"{org} använder Uppsikt för att ta emot, granska och bevara det som allmänheten skriver på "
            "kommunens konton i sociala medier och det kommunen själv publicerar där. Varje inlägg, kommentar "
            "och meddelande är en allmän handling från det att det kommit in. Det som tillför uppgifter i ett "
            "ärende, efterfrågats, är av särskilt intresse, tagits bort för olämpligt innehåll eller innehåller "
            "sekretessbelagda uppgifter diarieförs; övrigt hålls ordnat och gallras enligt planen.",
            f"Kommunens övriga handlingar registreras i {main}; Uppsikts diarienummer har egna serier som inte "
            "kan förväxlas med huvuddiariets."]),
        ReportSection("Arkivets organisation: diarieserier", [
            "Ärenden numreras per serie och år utan luckor; handlingar numreras i sitt ärende."],
            ["Serie", "Namn", "Nämnd", "Exempel på nummer", "Status"], series_rows, widths=[18, 50, 40, 36, 26]),
        ReportSection("Vad som bevaras och gallras", [
            "Informationshanteringsplanen med kommunens gallringsbeslut. Inget gallras utan stöd i planen, och "
            "inget som omfattas av en spärr (begäran om allmän handling, överklagande, utredning) gallras."],
            ["Klass", "Benämning", "Omfattar", "Bevaras/gallras", "Beslut"], classes, widths=[16, 36, 62, 30, 26]),
        ReportSection("Sekretess", [
            "Sekretessmarkeringar görs per del av en handling (avsändare, beskrivning, innehåll) med lagrum. "
            "Sekretessen följer handlingen vid leverans till arkivmyndigheten (OSL 11 kap. 4 §)."],
            ["Lagrum", "Rubrik", "Markeringar i kraft"], ground_rows, widths=[40, 100, 30]),
        ReportSection("Sökvägar och tillgänglighet", [
            "Diariet söks i Uppsikt; den offentliga postlistan visar varje registrering med sekretessbelagda "
            "uppgifter och privatpersoners namn dolda. Vem som helst kan begära att få ta del av en allmän "
            "handling, registrerad eller hållen ordnad, utan att uppge vem hen är eller varför (TF 2 kap.).",
            f"Ärenden som ska bevaras levereras till e-arkivet som E-ARK SIP-paket med innehållet som PDF/A-2b; "
            f"{delivered} leveranser är kvitterade av arkivet. Arkivförteckningen listar dem."]),
    ]
    data = render_report_pdf(title="Arkivbeskrivning", organisation=org, meta=meta, sections=sections,
                             footer=f"{org} · Arkivbeskrivning", created=today or timezone.localdate())
    audit_record(actor=actor, action=AuditAction.EXPORT, target=None, detail={"event": "archive_description"})
    return data
