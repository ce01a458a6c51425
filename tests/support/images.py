"""Pictures for the photo upload tests, made with Pillow: an ordinary camera JPEG (with EXIF,
GPS position included), a transparent PNG, and a small PNG that unpacks to far too many pixels."""

from __future__ import annotations

import io

from PIL import Image

GPS_TAG = 0x8825
MAKE_TAG = 0x010F


def camera_jpeg(width: int = 1200, height: int = 800) -> bytes:
    """A landscape JPEG carrying a camera make and a GPS position in its EXIF."""
    image = Image.new("RGB", (width, height), (40, 90, 200))
    exif = Image.Exif()
    exif[MAKE_TAG] = "Fluxent Test Camera"
    exif[GPS_TAG] = {1: "N", 2: (52.0, 31.0, 12.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, comment=b"taken at home")
    return out.getvalue()


def transparent_png(size: int = 300) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (size, size), (0, 0, 0, 0)).save(out, "PNG")
    return out.getvalue()


def pixel_bomb_png(side: int = 12_000) -> bytes:
    """One colour over ``side``² pixels: a few hundred kilobytes that decode to gigabytes."""
    out = io.BytesIO()
    Image.new("1", (side, side)).save(out, "PNG", optimize=True)
    return out.getvalue()
