"""Real image and video bytes (made with Pillow, not read from files), and a fake CDN on 127.0.0.1 that the
tests allow explicitly (the SSRF guard refuses loopback unless it is listed)."""

from __future__ import annotations

import io
import struct

import pytest

from tests.platform_fixtures import fb_channel, platform_urls  # noqa: F401 - fixtures, re-exported

__all__ = ["cdn", "fb_channel", "gif_bytes", "jpeg_bytes", "mp4_bytes", "platform_urls", "png_bytes"]


def jpeg_bytes(size=(64, 48), color=(200, 30, 30)) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", size, color)
    ImageDraw.Draw(image).rectangle((4, 4, size[0] // 2, size[1] // 2), fill=(20, 20, 220))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def png_bytes(size=(40, 40), color=(10, 160, 60, 128)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGBA", size, color).save(out, "PNG")
    return out.getvalue()


def gif_bytes(size=(32, 32)) -> bytes:
    from PIL import Image

    frames = [Image.new("P", size, i * 40) for i in range(3)]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    return out.getvalue()


def mp4_bytes(payload: int = 2048) -> bytes:
    """An ISO base media file: an ``ftyp`` box (brand isom) and an ``mdat`` box, as an MP4 starts."""
    ftyp = b"isom" + struct.pack(">I", 512) + b"isomiso2avc1mp41"
    ftyp_box = struct.pack(">I", 8 + len(ftyp)) + b"ftyp" + ftyp
    mdat = bytes(range(256)) * (payload // 256)
    return ftyp_box + struct.pack(">I", 8 + len(mdat)) + b"mdat" + mdat


@pytest.fixture
def cdn(settings, platform_urls):  # noqa: F811
    """The fake platform, with its CDN explicitly allowed (127.0.0.1 listed) and short timeouts."""
    settings.UPPSIKT_MEDIA_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.UPPSIKT_MEDIA_TIMEOUT = 1.0
    settings.UPPSIKT_MEDIA_TOTAL_SECONDS = 5.0
    return platform_urls
