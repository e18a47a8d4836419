"""Staff notes on authors."""

from __future__ import annotations

from django.db import transaction

from moderation.models import Author


@transaction.atomic
def author_notes_update(*, author: Author, notes: str, actor) -> Author:
    """Replace the staff notes on a platform account; history records who changed them and when."""
    author.staff_notes = notes
    author._history_user = actor
    author.save(update_fields=["staff_notes"])
    return author

