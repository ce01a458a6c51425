"""Site content kept as Markdown files with front matter under ``fluxent/content/``.

Staff add a case study, an article or a policy by adding one ``.md`` file; the
slug is the file name. Front matter is simple ``key: value`` lines between two
``---`` lines. The body is rendered to HTML with raw HTML disabled, so a file can
only contain Markdown. Files are read when the app builds its pages.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from markdown_it import MarkdownIt

CONTENT_DIR = Path(__file__).resolve().parents[2] / "content"
CASE_STUDIES = "case-studies"
RESOURCES = "resources"
LEGAL = "legal"
NEWSLETTER = "newsletter"  # past issues of the Delivery Brief; the newest is on the newsletter page

# Front-matter keys each collection needs; pages read them by name.
REQUIRED = {
    CASE_STUDIES: ("title", "summary", "client", "industry", "duration", "outcome", "date"),
    RESOURCES: ("title", "summary", "author", "date", "reading_time"),
    # Dates as YYYY-MM-DD; earlier versions and "changes" are read by services.policies.versions.
    LEGAL: ("title", "summary", "version", "effective", "updated"),
    NEWSLETTER: ("title", "summary", "date"),
}


class ContentError(ValueError):
    """A content file that cannot be published, naming the file and what is wrong."""


@dataclass(frozen=True)
class Document:
    slug: str
    meta: dict[str, str]
    body_html: str
    # The second-level headings, as (anchor id, text), for an "on this page" list.
    contents: tuple[tuple[str, str], ...] = ()

    @property
    def title(self) -> str:
        return self.meta["title"]

    @property
    def summary(self) -> str:
        return self.meta["summary"]


_markdown = MarkdownIt("commonmark", {"html": False, "typographer": True}).enable("table")


def parse(text: str, *, name: str, required: tuple[str, ...] = ()) -> tuple[dict[str, str], str]:
    """Split a file into its front matter and its Markdown body."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise ContentError(f"{name}: must start with a '---' front-matter line")
    try:
        end = next(i for i, line in enumerate(lines[1:], start=1) if line.strip() == "---")
    except StopIteration:
        raise ContentError(f"{name}: front matter is not closed with '---'") from None
    meta: dict[str, str] = {}
    for line in lines[1:end]:
        if not line.strip():
            continue
        key, sep, value = line.partition(":")
        if not sep:
            raise ContentError(f"{name}: front-matter line {line!r} is not 'key: value'")
        meta[key.strip()] = value.strip()
    missing = [key for key in required if not meta.get(key)]
    if meta.get("quote") and not meta.get("quote_author"):
        missing.append("quote_author (a quote says who said it)")
    if missing:
        raise ContentError(f"{name}: front matter is missing {', '.join(missing)}")
    return meta, "\n".join(lines[end + 1 :]).strip() + "\n"


def anchor(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"


def render(markdown: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """HTML for the body, with an ``id`` on each ``h2``, and the list of those headings."""
    tokens = _markdown.parse(markdown)
    contents = []
    for opening, inline in zip(tokens, tokens[1:], strict=False):
        if opening.type == "heading_open" and opening.tag == "h2":
            ident = anchor(inline.content)
            opening.attrSet("id", ident)
            contents.append((ident, inline.content))
    return _markdown.renderer.render(tokens, _markdown.options, {}), tuple(contents)


@functools.cache
def collection(name: str, directory: Path = CONTENT_DIR) -> tuple[Document, ...]:
    """Every document of a collection, newest first (by the ``date`` key, then slug).

    Cached: the files are part of the release and do not change while it runs.
    """
    documents = []
    for path in sorted((directory / name).glob("*.md")):
        meta, body = parse(
            path.read_text(encoding="utf-8"), name=str(path.name), required=REQUIRED.get(name, ("title",))
        )
        html, contents = render(body)
        documents.append(Document(slug=path.stem, meta=meta, body_html=html, contents=contents))
    return tuple(sorted(documents, key=lambda d: (d.meta.get("date", ""), d.slug), reverse=True))


def document(name: str, slug: str, directory: Path = CONTENT_DIR) -> Document:
    for found in collection(name, directory):
        if found.slug == slug:
            return found
    raise KeyError(f"{name}/{slug}")
