"""Versions of the legal documents: read from front matter, checked at build, each earlier one
on a page of its own, and the version in force named by consent records."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from fluxent import routes
from fluxent.models.marketing import ConsentSubject
from fluxent.services.marketing import consent
from fluxent.services.marketing.content import ContentError
from fluxent.services.policies import versions
from tests.support.policies import policy_content


def test_every_legal_document_has_numbered_versions_newest_first():
    for slug in routes.LEGAL_DOCUMENTS:
        found = versions.versions(slug)
        assert [v.number for v in found] == list(range(len(found), 0, -1)), slug
        assert found[-1].changes == "" and all(v.changes for v in found[:-1])
    privacy = versions.versions("privacy")
    assert [(v.number, v.effective) for v in privacy] == [(2, date(2026, 12, 21)), (1, date(2026, 5, 11))]
    assert "announce a new version" in privacy[0].changes
    assert privacy[1].title == "Privacy Policy" and "12. Changes to This Policy" in privacy[1].text.body_html


def test_the_version_in_force_is_the_newest_that_took_effect():
    assert versions.in_force("privacy", date(2026, 12, 20)).number == 1
    assert versions.in_force("privacy", date(2026, 12, 21)).number == 2
    assert versions.in_force("privacy", date(2020, 1, 1)).number == 1  # before any: the first
    assert versions.display_date(date(2026, 12, 1)) == "December 1, 2026"


def _edit(path, old: str, new: str) -> None:
    path.write_text(path.read_text().replace(old, new))


@pytest.mark.parametrize(
    ("file", "old", "new", "problem"),
    [
        ("privacy.md", "version: 2", "version: two", "version must be a whole number"),
        ("privacy.md", "effective: ", "effective: next week #", "effective must be a date written YYYY-MM-DD"),
        ("privacy.md", "changes: ", "note: ", "a version after the first says what changed"),
        ("privacy.md", "version: 2", "version: 3", "versions must run 1 to 3"),
        ("privacy/versions/1.md", "effective: 2026-05-11", "effective: 2099-01-01", "must take effect after version 1"),
        ("privacy/versions/1.md", "version: 1", "version: 2\nchanges: x", "the file of version 2 is named 2.md"),
    ],
)
def test_a_broken_version_file_stops_the_build_naming_the_file(tmp_path, file, old, new, problem):
    root = policy_content(tmp_path / "content")
    _edit(root / "legal" / file, old, new)
    with pytest.raises(ContentError, match=problem):
        versions.versions("privacy", root)


def test_earlier_versions_have_pages_the_current_page_links_to():
    from fluxent.pages.legal import policy

    built = {page.spec.route: page for page in policy.pages()}
    assert routes.legal_version("privacy", 1) == "/legal/privacy/versions/1"
    assert set(built) == {*routes.LEGAL_DOCUMENTS.values(), "/legal/privacy/versions/1"}
    current = str(built["/legal/privacy"]().render())
    assert '"/legal/privacy/versions/1"' in current and "Version history" in current
    earlier = str(built["/legal/privacy/versions/1"]().render())
    assert "This is an earlier version" in earlier and '"/legal/privacy"' in earlier
    assert "Effective Date: May 11, 2026" in earlier


@pytest.mark.parametrize(
    ("moment", "named"),
    [(datetime(2026, 12, 20, 23, 59, tzinfo=UTC), "2026-05-11"), (datetime(2026, 12, 21, tzinfo=UTC), "2026-12-21")],
)
def test_consent_records_name_the_privacy_policy_in_force_when_given(session, moment, named):
    row = consent.record(session, email="ana@example.test", subject=ConsentSubject.NEWSLETTER, clock=lambda: moment)
    assert row.policy_version == named
