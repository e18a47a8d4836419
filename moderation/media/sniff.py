"""The content type of stored bytes, read from the bytes themselves (magic numbers), never from headers.

Only types we recognise get their own type; anything else is ``application/octet-stream`` and is always
served as a download (never rendered inline: an SVG or HTML "picture" cannot run script in our pages)."""

from __future__ import annotations

OCTET_STREAM = "application/octet-stream"
# Types shown inline (as <img>) on our pages; everything else is offered as a download.
INLINE_IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})

_MP4_BRANDS = {b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"dash", b"M4V ", b"M4A ",
               b"mmp4", b"MSNV", b"NDAS", b"f4v "}
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1"}

EXTENSIONS = {
    "image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif", "image/webp": ".webp", "image/heic": ".heic",
    "image/avif": ".avif", "image/bmp": ".bmp", "video/mp4": ".mp4", "video/quicktime": ".mov",
    "video/webm": ".webm", "audio/mp4": ".m4a", "application/pdf": ".pdf", OCTET_STREAM: ".bin",
}


def sniff(head: bytes) -> str:
    """The MIME type of a file starting with ``head`` (give at least its first 32 bytes)."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[:2] == b"BM" and len(head) >= 26:
        return "image/bmp"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "video/webm"
    if len(head) >= 12 and head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in _HEIF_BRANDS:
            return "image/heic"
        if brand in (b"avif", b"avis"):
            return "image/avif"
        if brand == b"qt  ":
            return "video/quicktime"
        if brand == b"M4A ":
            return "audio/mp4"
        if brand in _MP4_BRANDS or brand.startswith(b"3gp"):
            return "video/mp4"
    return OCTET_STREAM


def extension(content_type: str) -> str:
    return EXTENSIONS.get(content_type, ".bin")


def image_size(fileobj) -> tuple[int, int] | None:
    """(width, height) of a picture Pillow can read, from its header only (no full decode); None otherwise."""
    from PIL import Image, UnidentifiedImageError

    try:
        fileobj.seek(0)
        with Image.open(fileobj) as image:
            return int(image.width), int(image.height)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None
    finally:
        try:
            fileobj.seek(0)
        except (OSError, ValueError):
            pass


def describe(content_type: str, size: int | None) -> str:
    """"JPEG, 34 kB" for people (Swedish units)."""
    label = {"image/jpeg": "JPEG", "image/png": "PNG", "image/gif": "GIF", "image/webp": "WebP",
             "video/mp4": "MP4", "video/quicktime": "QuickTime", "video/webm": "WebM", "application/pdf": "PDF",
             "image/heic": "HEIC"}.get(content_type, content_type or "okänd typ")
    return f"{label}, {human_size(size)}" if size is not None else label


def human_size(size: int | None) -> str:
    if size is None:
        return "—"
    if size < 1024:
        return f"{size} byte"
    for unit in ("kB", "MB", "GB"):
        size /= 1024
        if size < 1024 or unit == "GB":
            return f"{size:.1f} {unit}".replace(".", ",")
    return f"{size} byte"


__all__ = ["INLINE_IMAGE_TYPES", "OCTET_STREAM", "describe", "extension", "human_size", "image_size", "sniff"]
