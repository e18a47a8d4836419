"""Files of registered documents (records.DocumentFile): copying a source's files into a document,
adding files to documents later (evidence sheets), and deleting them when a document is purged.

Guarantees: a copy is verified (its SHA-256 and size must be those the source declared) before it is kept;
each source key is copied at most once per document; the document's own copy is stored under
``documents/<document id>/`` and deleted only by a purge of the document (after its transaction commits)."""

from __future__ import annotations

import hashlib
import logging
import tempfile
from collections.abc import Iterable

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction

from accounts.errors import DomainError
from records import registry
from records.models import Document, DocumentFile

logger = logging.getLogger("uppsikt.records")

EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif", "image/webp": ".webp",
              "video/mp4": ".mp4", "video/quicktime": ".mov", "video/webm": ".webm", "application/pdf": ".pdf"}


def _copy(document: Document, source_file: registry.SourceFile) -> str:
    hasher = hashlib.sha256()
    size = 0
    with tempfile.SpooledTemporaryFile(max_size=4 * 1024 * 1024) as sink:
        handle = source_file.open()
        try:
            for chunk in iter(lambda: handle.read(256 * 1024), b""):
                hasher.update(chunk)
                size += len(chunk)
                sink.write(chunk)
        finally:
            handle.close()
        if hasher.hexdigest() != source_file.sha256 or size != source_file.size:
            raise DomainError(f"Filen ”{source_file.label}” stämmer inte med sin kontrollsumma och kan inte "
                              "diarieföras.")
        name = (f"documents/{document.pk}/{source_file.key}-{source_file.sha256[:12]}"
                f"{EXTENSIONS.get(source_file.content_type, '.bin')}")
        sink.seek(0)
        return default_storage.save(name, File(sink, name=name.rsplit("/", 1)[-1]))


def document_files_copy(*, document: Document, files: Iterable[registry.SourceFile], later: bool = False
                        ) -> list[DocumentFile]:
    """Copy the source's files into the document (in the caller's transaction; a copy written before a
    rollback is removed again). Keys the document already has are skipped."""
    have = set(DocumentFile.objects.filter(document=document).values_list("source_key", flat=True))
    created: list[DocumentFile] = []
    written: list[str] = []
    try:
        for source_file in files:
            if source_file.key in have:
                continue
            name = _copy(document, source_file)
            written.append(name)
            created.append(DocumentFile.objects.create(
                document=document, source_key=source_file.key[:80], kind=source_file.kind[:30],
                label=source_file.label[:200], content_type=source_file.content_type[:100], size=source_file.size,
                sha256=source_file.sha256, file=name, source_version=source_file.version, added_later=later))
            have.add(source_file.key)
    except BaseException:
        files_delete(written)
        raise
    return created


def document_files_add_from_source(*, source_type: str, source_id: str, files: list[registry.SourceFile]
                                   ) -> int:
    """Add files that came into being after registration (an evidence sheet) to every live document
    registered from the source; returns how many copies were made."""
    count = 0
    for document in Document.objects.from_source(source_type, source_id).filter(voided=False,
                                                                                purged_at__isnull=True):
        count += len(document_files_copy(document=document, files=files, later=True))
    return count


def files_delete(names: Iterable[str]) -> None:
    for name in {n for n in names if n}:
        try:
            default_storage.delete(name)
        except Exception:  # noqa: BLE001 - logged; a leftover file is found by the storage check
            logger.warning("could not delete %s", name, exc_info=True)


def document_files_purge(document_ids: list) -> int:
    """Delete the files of these documents: the rows now, the stored copies after commit (a rolled-back
    purge keeps them). Returns the number of rows deleted."""
    rows = DocumentFile.objects.filter(document_id__in=document_ids)
    names = list(rows.values_list("file", flat=True))
    deleted, _detail = rows.delete()
    if names:
        transaction.on_commit(lambda: files_delete(names))
    return deleted
