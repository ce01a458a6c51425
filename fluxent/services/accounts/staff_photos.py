"""Staff photos for the Team page: checked, cropped and re-encoded on the server.

An upload is a JPEG, PNG or WebP (told by its content) of at most ``MAX_PHOTO_BYTES``.
Pillow reads the header first and a picture of more than ``MAX_PIXELS`` is refused
before any pixel is decoded, so a small file that unpacks to gigabytes (a decompression
bomb) never does. What is stored is a fresh ``PHOTO_SIZE`` square JPEG: nothing of the
uploaded file (EXIF with its GPS position, comments, colour profiles) survives.

The photo is shown publicly only while its owner is listed on the Team page;
staff see every staff member's photo in the console.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator

from PIL import Image, ImageOps, UnidentifiedImageError
from sqlmodel import Session

from fluxent.core.clock import Clock, now
from fluxent.core.errors import NotFound, TooLarge, ValidationFailed
from fluxent.core.filetypes import JPEG, PNG, SNIFF_BYTES, WEBP, detect
from fluxent.core.storage import Storage, get_storage, new_key
from fluxent.models.accounts import StaffProfile, User
from fluxent.services.accounts import authz
from fluxent.services.audit import trail

PHOTO_SIZE = 400
MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 25_000_000
PHOTO_MIME = "image/jpeg"
_FORMATS = {JPEG: "JPEG", PNG: "PNG", WEBP: "WEBP"}
_UNREADABLE = "The photo could not be read. Choose a JPEG, PNG or WebP picture."


def _refuse(message: str) -> ValidationFailed:
    return ValidationFailed(message, fields={"photo": message})


def normalized_photo(data: bytes) -> bytes:
    """``data`` as a ``PHOTO_SIZE`` square JPEG (centre crop), or the reason it is refused."""
    if len(data) > MAX_PHOTO_BYTES:
        raise TooLarge("The photo is larger than the 5 MB limit.", fields={"photo": "Too large."})
    try:
        kind = detect(data[:SNIFF_BYTES], complete=len(data) <= SNIFF_BYTES)
    except ValidationFailed:
        raise _refuse(_UNREADABLE) from None
    if kind not in _FORMATS:
        raise _refuse(_UNREADABLE)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[_FORMATS[kind]]) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise _refuse("The photo has too many pixels (25 megapixels at most).")
                image.draft("RGB", (PHOTO_SIZE * 2, PHOTO_SIZE * 2))  # JPEG: decode at a smaller scale
                upright = ImageOps.exif_transpose(image)
                square = ImageOps.fit(_on_white(upright), (PHOTO_SIZE, PHOTO_SIZE), Image.Resampling.LANCZOS)
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise _refuse("The photo has too many pixels (25 megapixels at most).") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise _refuse(_UNREADABLE) from None
    # Pixels only: Pillow would carry the original's comment (and more) over from ``info``.
    clean = Image.frombytes("RGB", square.size, square.tobytes())
    out = io.BytesIO()
    clean.save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue()


def _on_white(image: Image.Image) -> Image.Image:
    """RGB; transparent parts become white rather than black."""
    if image.mode in ("RGBA", "LA", "P", "PA"):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def set_photo(
    session: Session,
    *,
    actor: User,
    user_id: int,
    data: bytes,
    storage: Storage | None = None,
    clock: Clock = now,
) -> StaffProfile:
    """Store ``data`` (checked and re-encoded) as the staff member's photo, replacing any other
    (administrators only)."""
    authz.require_admin(actor)
    profile = _profile(session, user_id)
    photo = normalized_photo(data)
    storage = storage or get_storage()
    old_key, profile.photo_key = profile.photo_key, new_key("staff-photos", f"user-{user_id}")
    storage.write(profile.photo_key, [photo])
    profile.photo_updated_at = clock()
    session.add(profile)
    session.flush()
    trail.record(session, "accounts.staff_photo_set", actor=actor, target=session.get(User, user_id), clock=clock)
    if old_key:
        storage.delete(old_key)
    return profile


def remove_photo(
    session: Session, *, actor: User, user_id: int, storage: Storage | None = None, clock: Clock = now
) -> StaffProfile:
    """Delete the staff member's photo; the Team page shows their initials again (administrators only)."""
    authz.require_admin(actor)
    profile = _profile(session, user_id)
    if profile.photo_key:
        (storage or get_storage()).delete(profile.photo_key)
        profile.photo_key, profile.photo_updated_at = None, None
        session.add(profile)
        session.flush()
        trail.record(
            session, "accounts.staff_photo_removed", actor=actor, target=session.get(User, user_id), clock=clock
        )
    return profile


def photo_chunks(
    session: Session, *, user_id: int, viewer: User | None, storage: Storage | None = None
) -> Iterator[bytes]:
    """The stored photo: anyone's while its owner is listed on the Team page, any staff
    member's for staff; NotFound otherwise (the same answer as for no photo)."""
    person = session.get(User, user_id)
    profile = session.get(StaffProfile, user_id)
    public = profile is not None and profile.listed_on_team_page and person is not None and person.is_active
    if profile is None or not profile.photo_key or not authz.is_staff(person) or not (public or authz.is_staff(viewer)):
        raise NotFound("No such photo.")
    return (storage or get_storage()).read(profile.photo_key)


def _profile(session: Session, user_id: int) -> StaffProfile:
    person = session.get(User, user_id)
    if not authz.is_staff(person):
        raise NotFound("No such staff member.")
    return session.get(StaffProfile, user_id) or StaffProfile(user_id=user_id)
