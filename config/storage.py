"""Where stored files live (decision letters, register extracts, exports, attachments) and how they
are named. They are allmänna handlingar or personal data, often under secrecy, so:

- no file is ever served by URL (not `/media/`, in development as in production): `url()` refuses,
  and each file is delivered by a view that checks the permission of the object it belongs to (for
  letters: the disclosure or data-subject request) and audits the download;
- names are unguessable (a random 128-bit name; the human-readable name is given only in the
  download's Content-Disposition), so a leaked path or a listing reveals nothing about the request.
"""

from __future__ import annotations

import secrets
from pathlib import PurePosixPath

from django.core.files.storage import FileSystemStorage
from django.utils import timezone
from django.utils.deconstruct import deconstructible


class PrivateFileSystemStorage(FileSystemStorage):
    """FileSystemStorage under MEDIA_ROOT without URLs."""

    def url(self, name):
        raise ValueError("Lagrade filer lämnas bara ut genom en vy som kontrollerar behörigheten.")


@deconstructible
class UnguessableName:
    """`upload_to` giving "<folder>/<year>/<32 random hex digits><ext>"; the name passed in is used
    only for its extension."""

    def __init__(self, folder: str):
        self.folder = folder.strip("/")

    def __call__(self, instance, filename: str) -> str:
        suffix = PurePosixPath(filename or "").suffix.lower()[:10]
        return f"{self.folder}/{timezone.now():%Y}/{secrets.token_hex(16)}{suffix}"

    def __eq__(self, other) -> bool:
        return isinstance(other, UnguessableName) and other.folder == self.folder

    def __hash__(self) -> int:
        return hash(self.folder)
