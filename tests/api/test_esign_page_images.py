"""Page images by URL: served for a grant that still carries the right (the signer's open,
consented turn; active staff), with caching headers; refused for another envelope's
signer, no grant, a forged or stale grant, a replaced link and a voided envelope."""

from __future__ import annotations

from datetime import timedelta

import pytest

from fluxent.core.clock import now
from fluxent.core.errors import Conflict, PermissionDenied
from fluxent.services.esign import envelopes, page_access, signing
from fluxent.services.esign.signing import Access
from tests.support.esign import CLIENT_BROWSER, client_access, sent_deal
from tests.support.portal import client_for


def _consented(session, data_dir, world) -> tuple[int, Access, list[str]]:
    deal = sent_deal(session, world)
    access = client_access(session, data_dir, world)
    signing.consent(session, access=access, requester=CLIENT_BROWSER)
    urls = page_access.signer_pages(session, access=access)
    session.commit()
    return deal.envelope.id, access, urls


def test_a_signer_gets_the_pages_without_a_cookie_and_the_browser_may_cache_them(session, world, data_dir):
    envelope_id, _, urls = _consented(session, data_dir, world)
    assert [url.split("?")[0] for url in urls] == [f"/api/v1/envelopes/{envelope_id}/pages/{n}/" for n in (0, 1)]
    anonymous = client_for(session, None)
    answer = anonymous.get(urls[1])
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "image/jpeg" and answer.content.startswith(b"\xff\xd8")
    policy, age = answer.headers["cache-control"].split(", max-age=")
    assert policy == "private" and 0 < int(age) <= 2 * page_access.WINDOW_SECONDS
    assert answer.headers["x-content-type-options"] == "nosniff"
    again = anonymous.get(urls[1], headers={"If-None-Match": answer.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    assert anonymous.get(urls[0]).headers["etag"] != answer.headers["etag"]


def test_no_grant_a_forged_one_or_a_page_past_the_end_is_not_found(session, world, data_dir):
    envelope_id, _, urls = _consented(session, data_dir, world)
    anonymous = client_for(session, None)
    path, grant = urls[0].split("?grant=")
    party, expires, mac = grant.split(".")
    signer_id = int(party[1:])
    for url in (
        path,
        path + "?grant=",
        path + "?grant=nonsense",
        path + f"?grant={party}.{expires}.{'0' * 32}",
        path + f"?grant={party}.{int(expires) + 600}.{mac}",  # a longer life is not what was keyed
        path + f"?grant=s{signer_id + 1}.{expires}.{mac}",  # another signer's id
        path + f"?grant=u{world.staff.id}.{expires}.{mac}",  # the same grant as staff
        path + f"?grant={grant}" + "x" * 200,
        path + f"?grant=s99999999999.{expires}.{mac}",  # no such row could exist
        path + f"?grant=s\u0661.{expires}.{mac}",  # a non-ASCII digit
        path + f"?grant={party}.{expires}.\u00e9{mac[1:]}",
        f"/api/v1/envelopes/{envelope_id}/pages/2/?grant={grant}",
        f"/api/v1/envelopes/{envelope_id}/pages/-1/?grant={grant}",
    ):
        assert anonymous.get(url).status_code in (404, 422), url
    assert anonymous.get(urls[0]).status_code == 200  # the genuine one still works


def test_another_envelopes_signer_sees_nothing_of_this_one(session, world, data_dir):
    first_id, _, first_urls = _consented(session, data_dir, world)
    second_id, _, second_urls = _consented(session, data_dir, world)
    anonymous = client_for(session, None)
    first_grant = first_urls[0].split("?grant=")[1]
    assert anonymous.get(f"/api/v1/envelopes/{second_id}/pages/0/?grant={first_grant}").status_code == 404
    assert anonymous.get(second_urls[0]).status_code == 200 and anonymous.get(first_urls[0]).status_code == 200


def test_a_stale_grant_a_replaced_link_and_a_voided_envelope_are_refused(session, world, data_dir):
    envelope_id, access, urls = _consented(session, data_dir, world)
    anonymous = client_for(session, None)
    earlier = now() - timedelta(seconds=2 * page_access.WINDOW_SECONDS + 1)
    expired = page_access.signer_pages(session, access=access, clock=lambda: earlier)
    session.commit()
    assert anonymous.get(expired[0]).status_code == 404
    envelopes.remind(session, actor=world.staff, envelope_id=envelope_id)  # a new link replaces the old one
    session.commit()
    assert anonymous.get(urls[0]).status_code == 404
    other_id, _, other_urls = _consented(session, data_dir, world)
    envelopes.void_envelope(session, actor=world.staff, envelope_id=other_id, reason="Scope changed")
    session.commit()
    assert anonymous.get(other_urls[0]).status_code == 404


def test_pages_need_the_disclosure_accepted_first(session, world, data_dir):
    sent_deal(session, world)
    access = client_access(session, data_dir, world)
    with pytest.raises(Conflict):
        page_access.signer_pages(session, access=access)


def test_staff_get_pages_while_they_are_staff_and_clients_never(session, world, data_dir):
    deal = sent_deal(session, world)
    urls = page_access.staff_pages(session, actor=world.staff, envelope_id=deal.envelope.id)
    session.commit()
    anonymous = client_for(session, None)
    assert anonymous.get(urls[0]).status_code == 200
    with pytest.raises(PermissionDenied):
        page_access.staff_pages(session, actor=world.owner_a, envelope_id=deal.envelope.id)
    world.staff.is_active = False
    session.add(world.staff)
    session.commit()
    assert anonymous.get(urls[0]).status_code == 404
