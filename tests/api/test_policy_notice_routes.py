"""Policy notices through the API: the signed-in person's own pending notices, and acknowledging
one (CSRF-checked, recorded once, for that person only)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from fluxent import routes
from fluxent.models.policies import PolicyAcknowledgement
from fluxent.services.policies import announcements
from tests.support.auth_api import ADA, BOB, error_code, read
from tests.support.policies import CHANGES, policy_content, upcoming_effective


@pytest.fixture
def announcement_id(session, people, tmp_path) -> int:
    content = policy_content(tmp_path / "content")
    announcement = announcements.announce(
        session, document="privacy", effective=upcoming_effective(), directory=content
    )
    session.commit()
    return announcement.id


def _acknowledged() -> list[tuple[int, int]]:
    return read(lambda db: [(r.user_id, r.announcement_id) for r in db.scalars(select(PolicyAcknowledgement))])


def _acknowledge_path(announcement_id) -> str:
    return routes.API_ME_POLICY_NOTICE_ACKNOWLEDGE.format(announcement_id=announcement_id)


def test_a_person_lists_and_acknowledges_their_notice(make_browser, people, announcement_id):
    ada, bob = make_browser(), make_browser()
    ada.sign_in(ADA)
    bob.sign_in(BOB)
    listed = ada.get(routes.API_ME_POLICY_NOTICES)
    assert listed.headers["cache-control"] == "no-store"
    [notice] = listed.json()["notices"]
    assert (notice["announcement_id"], notice["version"], notice["changes"], notice["href"]) == (
        announcement_id,
        2,
        CHANGES,
        routes.PRIVACY_POLICY,
    )
    done = ada.post(_acknowledge_path(announcement_id))
    assert done.status_code == 200 and done.json()["announcement_id"] == announcement_id
    again = ada.post(_acknowledge_path(announcement_id))
    assert again.json()["acknowledged_at"] == done.json()["acknowledged_at"]
    assert ada.get(routes.API_ME_POLICY_NOTICES).json() == {"notices": []}
    assert len(bob.get(routes.API_ME_POLICY_NOTICES).json()["notices"]) == 1
    assert _acknowledged() == [(people.ada.id, announcement_id)]


def test_acknowledging_without_the_csrf_header_is_refused(browser, people, announcement_id):
    browser.sign_in(ADA)
    response = browser.client.post(_acknowledge_path(announcement_id), headers={"Origin": "http://testserver"})
    assert response.status_code == 403
    assert _acknowledged() == []


@pytest.mark.parametrize(("announcement", "status"), [(987_654, 404), (0, 422), (2**40, 422), ("abc", 422)])
def test_an_unknown_or_malformed_notice_is_refused(browser, people, announcement_id, announcement, status):
    browser.sign_in(ADA)
    response = browser.post(_acknowledge_path(announcement))
    assert response.status_code == status, response.text
    assert error_code(response) == ("not_found" if status == 404 else "validation_failed")
    assert _acknowledged() == []
