"""What a purge list shows of moderation's objects (`registry.RetentionTarget.describe`): an excerpt of
the text, with secret content or a secret sender masked for users who may not see them (the same
rules as the queue: `moderation.queue.secrecy`), the object's dates and a link. No personal contact
data: a report shows what was reported, never the reporter's address."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from moderation.queue.secrecy import MASK_CONTENT, MASK_SENDER, may_view_secret_items
from records.registry import TargetSummary
from records.retention.rows import excerpt, int_ids
from records.secrecy.services import secret_viewed_audit, target_secrecy


def _masking(target_type: str, ids: list[str], user) -> tuple[dict[str, set[str]], bool]:
    return target_secrecy(target_type, ids), may_view_secret_items(user)


def _audit(user, request, target, parts) -> None:
    if parts:
        secret_viewed_audit(user=user, target=target, parts=parts, surface="purge_list", request=request)


def describe_items(ids: list[str], user, request=None) -> dict[str, TargetSummary]:
    from moderation.models import Item

    secret, allowed = _masking("moderation.item", ids, user)
    result = {}
    for item in Item.objects.filter(pk__in=int_ids(ids)).select_related("channel"):
        parts = secret.get(str(item.pk), set())
        hide = "content" in parts and not allowed
        if allowed:
            _audit(user, request, item, parts & {"content"})
        text = MASK_CONTENT if hide else item.text
        result[str(item.pk)] = TargetSummary(
            excerpt=f"{item.get_kind_display()} · {item.channel.name}: {excerpt(text)}", masked=hide,
            dates=((_("Publicerad"), item.platform_created_at or item.received_at), (_("Beslutad"), item.decided_at)),
            url=reverse("item_detail", args=[item.pk]),
        )
    return result


def describe_authors(ids: list[str], user, request=None) -> dict[str, TargetSummary]:
    from moderation.models import Author

    secret, allowed = _masking("moderation.author", ids, user)
    result = {}
    for author in Author.objects.filter(pk__in=int_ids(ids)).select_related("channel"):
        hide = "sender" in secret.get(str(author.pk), set()) and not allowed
        if allowed:
            _audit(user, request, author, secret.get(str(author.pk), set()) & {"sender"})
        name = MASK_SENDER if hide else (author.display_name or author.username)
        result[str(author.pk)] = TargetSummary(
            excerpt=f"{_('Konto')} · {author.channel.name}: {excerpt(name)}", masked=hide,
            dates=((_("Först sedd"), author.created_at),), url=reverse("author_detail", args=[author.pk]),
        )
    return result


def describe_reports(ids: list[str], user, request=None) -> dict[str, TargetSummary]:
    from moderation.models import PublicReport

    secret, allowed = _masking("moderation.publicreport", ids, user)
    result = {}
    for report in PublicReport.objects.filter(pk__in=int_ids(ids)).only("pk", "text", "created_at", "item_id"):
        hide = bool(secret.get(str(report.pk))) and not allowed
        if allowed:
            _audit(user, request, report, secret.get(str(report.pk), set()))
        url = reverse("item_detail", args=[report.item_id]) if report.item_id else reverse("report_list")
        result[str(report.pk)] = TargetSummary(
            excerpt=f"{_('Anmälan')}: {excerpt(MASK_CONTENT if hide else report.text)}", masked=hide,
            dates=((_("Inkom"), report.created_at),), url=url,
        )
    return result


def describe_police_reports(ids: list[str], user, request=None) -> dict[str, TargetSummary]:
    from moderation.models import PoliceReport

    secret, allowed = _masking("moderation.policereport", ids, user)
    result = {}
    for report in PoliceReport.objects.filter(pk__in=int_ids(ids)).only("pk", "police_reference", "note",
                                                                       "created_at", "reported_at"):
        hide = bool(secret.get(str(report.pk))) and not allowed
        if allowed:
            _audit(user, request, report, secret.get(str(report.pk), set()))
        text = MASK_CONTENT if hide else report.note
        label = report.police_reference or _("utan polisens diarienummer")
        result[str(report.pk)] = TargetSummary(
            excerpt=f"{_('Polisanmälan')} {label}: {excerpt(text)}", masked=hide,
            dates=((_("Skapad"), report.created_at), (_("Anmäld"), report.reported_at)),
            url=reverse("police_detail", args=[report.pk]),
        )
    return result
