"""The versions of each legal document, read from their files' front matter.

``content/legal/<doc>.md`` is the newest version; each earlier one stays as
``content/legal/<doc>/versions/<n>.md``. Every file names its ``version`` and ISO
``effective`` and ``updated`` dates; a version after the first says what changed
(``changes``). The files are checked when the app builds: numbers count up to the
newest file, and effective dates grow with them.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from fluxent.services.marketing import content
from fluxent.services.marketing.content import ContentError, Document

VERSIONS_DIR = "versions"


@dataclass(frozen=True)
class PolicyVersion:
    document: str  # the slug: privacy, terms, cookies, fulfillment
    number: int
    effective: date
    updated: date
    changes: str  # what changed since the version before ('' for the first)
    text: Document

    @property
    def title(self) -> str:
        return self.text.title


def display_date(day: date) -> str:
    """The way the policies print dates: ``May 11, 2026``."""
    return f"{day:%B} {day.day}, {day.year}"


def _iso_date(meta: dict[str, str], key: str, name: str) -> date:
    try:
        return date.fromisoformat(meta[key])
    except ValueError:
        raise ContentError(f"{name}: {key} must be a date written YYYY-MM-DD (got {meta[key]!r})") from None


def _version(slug: str, text: Document, name: str) -> PolicyVersion:
    number = text.meta["version"]
    if not number.isdigit() or int(number) < 1:
        raise ContentError(f"{name}: version must be a whole number from 1 (got {number!r})")
    changes = text.meta.get("changes", "")
    if int(number) > 1 and not changes:
        raise ContentError(f"{name}: a version after the first says what changed (front matter 'changes')")
    return PolicyVersion(
        document=slug,
        number=int(number),
        effective=_iso_date(text.meta, "effective", name),
        updated=_iso_date(text.meta, "updated", name),
        changes=changes,
        text=text,
    )


def _earlier_file(path: Path) -> Document:
    meta, body = content.parse(
        path.read_text(encoding="utf-8"), name=str(path.name), required=content.REQUIRED[content.LEGAL]
    )
    html, contents = content.render(body)
    return Document(slug=path.stem, meta=meta, body_html=html, contents=contents)


@functools.cache
def versions(slug: str, directory: Path = content.CONTENT_DIR) -> tuple[PolicyVersion, ...]:
    """Every version of a legal document, newest first. Cached: the files ship with the release."""
    newest = _version(slug, content.document(content.LEGAL, slug, directory), f"{slug}.md")
    found = [newest]
    for path in sorted((directory / content.LEGAL / slug / VERSIONS_DIR).glob("*.md")):
        name = f"{slug}/{VERSIONS_DIR}/{path.name}"
        earlier = _version(slug, _earlier_file(path), name)
        if path.stem != str(earlier.number):
            raise ContentError(f"{name}: the file of version {earlier.number} is named {earlier.number}.md")
        found.append(earlier)
    found.sort(key=lambda version: version.number, reverse=True)
    numbers = [version.number for version in found]
    if numbers != list(range(newest.number, 0, -1)):
        raise ContentError(
            f"{slug}: versions must run 1 to {newest.number} with {slug}.md the newest (found {numbers})"
        )
    for later, earlier in zip(found, found[1:], strict=False):
        if later.effective <= earlier.effective:
            raise ContentError(f"{slug}: version {later.number} must take effect after version {earlier.number}")
    return tuple(found)


def current(slug: str) -> PolicyVersion:
    """The newest version (which may not be in force yet)."""
    return versions(slug)[0]


def version(slug: str, number: int) -> PolicyVersion:
    for found in versions(slug):
        if found.number == number:
            return found
    raise KeyError(f"{slug} version {number}")


def in_force(slug: str, on: date) -> PolicyVersion:
    """The version in effect on ``on``: the newest that took effect by then (the first before any did)."""
    every = versions(slug)
    return next((found for found in every if found.effective <= on), every[-1])
