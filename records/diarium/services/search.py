"""Search across cases and documents, never through secret parts.

PostgreSQL: full text with the "swedish" configuration (SearchVector over the parts the user may
see, SearchQuery with websearch syntax: "ord", -ord, OR), plus a plain match on the diarienummer.
SQLite: an icontains fallback over the same fields. In both, a part under secrecy is searched
only for users with `records.view_secret` (a hit would otherwise reveal what the part says);
the postlista searches only what it shows (public description or non-secret description,
number, public case title), never content or senders.
"""

from __future__ import annotations

from datetime import date

from django.db import connection
from django.db.models import Case as CaseWhen
from django.db.models import Exists, F, OuterRef, Q, QuerySet, TextField, Value, When

from records.models import Case, Document, SecrecyMarking
from records.secrecy.services import may_view_secret


def _secret(part: str) -> Exists:
    return Exists(SecrecyMarking.objects.active().filter(document=OuterRef("pk"), part=part))


def _visible(field: str, part: str | None, allowed: bool):
    """The field's value, or "" where the part is secret and the user may not see it."""
    if part is None or allowed:
        return F(field)
    return CaseWhen(When(_secret(part), then=Value("")), default=F(field), output_field=TextField())


def _text_fields(*, allowed: bool, public: bool) -> list[tuple[str, str | None]]:
    if public:
        return [("public_description", None), ("description", "description"), ("case__public_title", None)]
    return [
        ("description", "description"),
        ("public_description", None),
        ("sender", "sender"),
        ("content", "content"),
        ("case__title", None),
        ("case__public_title", None),
    ]


def text_filter(qs: QuerySet, q: str, *, allowed: bool, public: bool) -> QuerySet:
    fields = _text_fields(allowed=allowed, public=public)
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        vector = SearchVector(*[_visible(f, p, allowed) for f, p in fields], config="swedish")
        query = SearchQuery(q, search_type="websearch", config="swedish")
        return (
            qs.annotate(search=vector, rank=SearchRank(vector, query))
            .filter(Q(search=query) | Q(number__icontains=q))
        )
    condition = Q(number__icontains=q)
    for field, part in fields:
        if part is None or allowed:
            condition |= Q(**{f"{field}__icontains": q})
        else:
            flag = f"_secret_{part}"
            if flag not in qs.query.annotations:
                qs = qs.annotate(**{flag: _secret(part)})
            condition |= Q(**{f"{field}__icontains": q, flag: False})
    return qs.filter(condition)


def document_search(
    *,
    user=None,
    q: str = "",
    number: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    direction: str = "",
    public: bool = False,
    queryset: QuerySet | None = None,
) -> QuerySet:
    """Documents matching the text, number and date range, searched only where the user may look.

    `public=True` is the postlista: not voided, not purged, no content or sender searched.
    The result is a queryset ordered by date (newest first); read it through
    `documents_for_list` / `public_view`, which mask what the user may not see.
    """
    if queryset is None:
        queryset = Document.objects.public() if public else Document.objects.visible_to(user)
    qs = queryset
    allowed = (not public) and may_view_secret(user)
    q = (q or "").strip()
    if q:
        qs = text_filter(qs, q, allowed=allowed, public=public)
    if number:
        qs = qs.filter(number__icontains=number.strip())
    if date_from:
        qs = qs.filter(date__gte=date_from)
    if date_to:
        qs = qs.filter(date__lte=date_to)
    if direction:
        qs = qs.filter(direction=direction)
    return qs.order_by("-date", "-id")


def case_search(*, user, q: str = "", status: str = "", series=None, year: int | None = None) -> QuerySet:
    """Cases the user may see, matching number or title (the public title for users without view_secret)."""
    qs = Case.objects.visible_to(user).select_related("series", "unit", "responsible")
    q = (q or "").strip()
    if q:
        condition = Q(number__icontains=q) | Q(public_title__icontains=q)
        if may_view_secret(user):
            condition |= Q(title__icontains=q)
        else:
            condition |= Q(public_title="", title__icontains=q)
        qs = qs.filter(condition)
    if status:
        qs = qs.filter(status=status)
    if series:
        qs = qs.filter(series=series)
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "-sequence")
