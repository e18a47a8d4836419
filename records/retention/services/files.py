"""Stored files (decision letters, extracts, PDFs, attachments) go only after the purge commits.

A purge or an erasure that deletes a file inside its transaction and then fails leaves the row back
and its file gone (a 500 on download). Removing the file is a file-system effect, not a domain
effect, so it waits for the commit (`transaction.on_commit`); when the transaction rolls back the
callback is dropped and the file stays with its row. A failed deletion is logged and can be retried:
the file no longer belongs to any row.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import transaction

log = logging.getLogger("uppsikt.purge")

__all__ = ["delete_after_commit"]


def delete_after_commit(files: Iterable, *, using: str | None = None) -> int:
    """Delete these stored files (FieldFile values) once the current transaction commits; returns how
    many are scheduled. Outside a transaction they are deleted at once."""
    pending = [(f.storage, f.name) for f in files if f and getattr(f, "name", "")]
    if not pending:
        return 0

    def delete() -> None:
        for storage, name in pending:
            try:
                storage.delete(name)
            except OSError:
                log.warning("purge: could not delete stored file %s; delete it by hand", name, exc_info=True)

    transaction.on_commit(delete, using=using)
    return len(pending)
