"""Demo data for retention: due items for the archivist's purge list, one legal hold, and one closed
case to keep that is ready for e-archive delivery. Idempotent (fixed external ids and titles)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

DEMO_CASE_TITLE = "Medborgarförslag om fler parkbänkar i Stadsparken (demo för e-arkiv)"
HOLD_REASON = "Demo: polisanmälan pågår, kommentaren får inte gallras"
DUE_TEXTS = [
    "Vilka tider är återvinningscentralen öppen i helgen?",
    "Tack för en fin konsert i parken i går!",
    "När kommer nya busstidtabellen ut?",
    "Finns det lediga platser på sommarlägret?",
    "Bra jobbat med snöröjningen i år.",
    "Hur anmäler jag ett trasigt gatljus?",
]


def _due_items(stdout) -> int:
    from accounts.models import Unit
    from moderation.models import Author, Channel, Item

    channel = Channel.objects.filter(slug="exempelstad-facebook").first() or Channel.objects.first()
    if channel is None:
        unit = Unit.objects.filter(code="kommunledning").first() or Unit.objects.first()
        if unit is None:
            return 0
        channel, _ = Channel.objects.get_or_create(slug="exempelstad-arkivdemo", defaults={
            "platform": "facebook", "name": "Exempelstad (arkivdemo)", "unit": unit,
        })
    arrived = timezone.now() - dt.timedelta(days=800)
    created = 0
    for n, text in enumerate(DUE_TEXTS, start=1):
        author, _ = Author.objects.get_or_create(channel=channel, external_id=f"demo-gallring-author-{n}",
                                                 defaults={"display_name": f"Demoanvändare {n}"})
        _, made = Item.objects.get_or_create(channel=channel, external_id=f"demo-gallring-{n}", defaults={
            "kind": "comment", "direction": "incoming", "text": text, "search_text": text.casefold(),
            "author": author, "received_at": arrived + dt.timedelta(hours=n), "state": "decided",
            "decided_at": arrived + dt.timedelta(hours=n, minutes=20),
        })
        created += made
    return created


def _hold(archivist) -> None:
    from moderation.models import Item
    from records.models import LegalHold
    from records.retention.services.holds import legal_hold_place

    if LegalHold.objects.filter(reason=HOLD_REASON).exists():
        return
    item = Item.objects.filter(external_id="demo-gallring-1").first()
    if item is not None:
        legal_hold_place(target_type="moderation.item", target_id=item.pk, reason=HOLD_REASON, actor=archivist)


def _keep_case(registrar) -> str | None:
    from records.diarium.services.cases import case_close, case_open
    from records.diarium.services.registration import document_register
    from records.models import Case, Series
    from records.retention.services.plan import retention_assign

    case = Case.objects.filter(title=DEMO_CASE_TITLE).first()
    if case is None:
        series = Series.objects.filter(code="KS").first() or Series.objects.create(
            code="KS", name="Kommunstyrelsens diarium", body="Kommunstyrelsen")
        case = case_open(series=series, title=DEMO_CASE_TITLE, public_title="", classification_code="3.1",
                         actor=registrar, responsible=registrar)
        for direction, sender, description, content in [
            ("incoming", "Karin Bänk", "Medborgarförslag om parkbänkar",
             "Jag föreslår att kommunen sätter upp fler bänkar längs dammen i Stadsparken."),
            ("outgoing", "Exempelstads kommun", "Svar på medborgarförslag",
             "Tack för ditt förslag. Kommunen sätter upp fyra nya bänkar under våren."),
        ]:
            document_register(case=case, direction=direction, date=timezone.localdate(), sender=sender,
                              description=description, reason="adds_to_case", actor=registrar, content=content)
        case = case_close(case=case, actor=registrar)
    for doc in case.documents.all():
        retention_assign(target_type="records.document", objects=[doc])
    retention_assign(target_type="records.case", objects=[case])
    return case.number


def seed(*, stdout, context) -> dict:
    from accounts.models import User
    from records.retention.services.plan import retention_recompute

    archivist = User.objects.filter(username="archivist").first()
    registrar = User.objects.filter(username="registrar").first()
    with transaction.atomic():
        created = _due_items(stdout)
        _hold(archivist)
        number = None
        try:
            with transaction.atomic():
                number = _keep_case(registrar)
        except Exception as exc:  # the diarium demo may not be ready; retention demo still works
            stdout.write(f"  (ärende för e-arkiv hoppades över: {exc})")
    counts = retention_recompute()
    lines = [f"Gallring: {created} nya förfallna demoinlägg, klasser satta på {sum(counts.values())} objekt; "
             f"arkivarien ser dem under /arkiv/forfallet/."]
    if number:
        lines.append(f"E-arkiv: ärendet {number} är avslutat och redo att levereras (/arkiv/leverans/).")
    return {"print": lines, "case": number}
