"""What the item page shows of an item's media: its current attachments, those of earlier versions, the
downloads that wait or failed (with the reason and the next try), and its evidence sheets."""

from __future__ import annotations

from moderation.media.models import Attachment, EvidenceSheet
from moderation.media.services import current_attachments, problem_text
from moderation.media.sniff import describe
from moderation.media.workflow import available_actions


def item_media_context(item, user, *, content_visible: bool) -> dict:
    if not content_visible:
        return {"media": None}
    rows = list(Attachment.objects.filter(item=item).select_related("version").order_by("version_id", "position",
                                                                                       "id"))
    current = current_attachments(item, rows)
    current_ids = {r.pk for r in current}
    for n, row in enumerate(rows, start=1):
        row.problem = problem_text(row)
        row.description = describe(row.content_type, row.size) if row.is_stored else ""
        row.actions = available_actions(row, user)
        row.number = n
    sheets = list(EvidenceSheet.objects.filter(item=item).select_related("requested_by", "version")
                  .order_by("-requested_at", "-id")[:20])
    return {"media": {
        "current": current,
        "earlier": [r for r in rows if r.pk not in current_ids],
        "sheets": sheets,
        "can_create_sheet": user.has_perm("moderation.moderate_item"),
    }}
