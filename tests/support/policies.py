"""A content directory with a legal document in two versions, the second not yet in effect,
for announcing it without touching the site's own policies."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from fluxent.core.clock import now

DOCUMENT = "privacy"
CHANGES = "Section 12 now explains how we announce a new version of this policy."


def _file(*, version: int, effective: date, changes: str, body: str) -> str:
    lines = [
        "---",
        "title: Privacy Policy",
        "summary: How we handle personal information.",
        f"version: {version}",
        f"effective: {effective.isoformat()}",
        f"updated: {effective.isoformat()}",
        *([f"changes: {changes}"] if changes else []),
        "---",
        "",
        body,
        "",
    ]
    return "\n".join(lines)


def upcoming_effective() -> date:
    return now().date() + timedelta(days=14)


def policy_content(root: Path, *, effective: date | None = None) -> Path:
    """``root`` holding ``legal/privacy.md`` (version 2, effective in two weeks unless told) and version 1."""
    legal = root / "legal"
    (legal / DOCUMENT / "versions").mkdir(parents=True, exist_ok=True)
    (legal / f"{DOCUMENT}.md").write_text(
        _file(version=2, effective=effective or upcoming_effective(), changes=CHANGES, body="## 1. New\n\nNew text.")
    )
    (legal / DOCUMENT / "versions" / "1.md").write_text(
        _file(version=1, effective=date(2026, 5, 11), changes="", body="## 1. Old\n\nOld text.")
    )
    return root
