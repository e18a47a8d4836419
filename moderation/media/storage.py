"""Files in Django's default storage (file system under MEDIA_ROOT, or S3-compatible object storage).

Attachments are content-addressed: ``media/sha256/ab/abcdef….jpg``. Saving a file that is already there
stores nothing new; deleting is only done when no row still refers to the name (``names_unreferenced``)."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.core.files import File
from django.core.files.storage import default_storage

from moderation.media.sniff import extension

logger = logging.getLogger("uppsikt.media")

BLOB_PREFIX = "media/sha256"


def blob_name(sha256: str, content_type: str) -> str:
    return f"{BLOB_PREFIX}/{sha256[:2]}/{sha256}{extension(content_type)}"


def blob_store(fileobj, *, sha256: str, content_type: str) -> str:
    """Store the bytes under their content address (once); returns the storage name."""
    name = blob_name(sha256, content_type)
    if default_storage.exists(name):
        return name
    fileobj.seek(0)
    saved = default_storage.save(name, File(fileobj, name=name.rsplit("/", 1)[-1]))
    if saved != name:  # stored concurrently by another worker: keep theirs, drop ours
        default_storage.delete(saved)
    return name


def file_store(name: str, data: bytes) -> str:
    """Store bytes under a name of their own (evidence sheets, consent forms); returns the name used."""
    from django.core.files.base import ContentFile

    return default_storage.save(name, ContentFile(data, name=name.rsplit("/", 1)[-1]))


def files_delete(names: Iterable[str]) -> int:
    """Delete these files (a missing one is not an error); returns how many were deleted."""
    deleted = 0
    for name in {n for n in names if n}:
        try:
            if default_storage.exists(name):
                default_storage.delete(name)
                deleted += 1
        except Exception:  # noqa: BLE001 - a storage hiccup must not undo a committed purge; logged, swept later
            logger.warning("could not delete stored file %s", name, exc_info=True)
    return deleted


def names_unreferenced(names: Iterable[str]) -> list[str]:
    """Those of ``names`` that no Attachment row refers to any more (safe to delete)."""
    from moderation.media.models import Attachment

    wanted = {n for n in names if n}
    if not wanted:
        return []
    used = set(Attachment.objects.filter(file__in=list(wanted)).values_list("file", flat=True))
    return sorted(wanted - used)
