"""Every way in lands staff on the console and clients on the portal, unless a same-site
``next`` page was asked for; hostile ``next`` values fall back to the landing."""

from __future__ import annotations

from urllib.parse import urlsplit

import pyotp
import pytest
from sqlalchemy import text

from fluxent import routes
from fluxent.services.auth import two_step
from tests.support.auth import PASSWORD
from tests.support.auth_api import ADA, SITE, read

STAFF, ADMIN = "staff@example.com", "admin@example.com"
HOSTILE = ["//evil.com", "https://evil.com", "/\\evil.com", "javascript:alert(1)"]


def _password(browser, login: str, **fields):
    return browser.form(routes.API_LOGIN, {"login": login, "password": PASSWORD, **fields})


@pytest.mark.parametrize(("login", "home"), [(ADA, routes.PORTAL), (STAFF, routes.ADMIN), (ADMIN, routes.ADMIN)])
def test_password_sign_in_lands_each_role_at_home(make_browser, people, login, home):
    response = _password(make_browser(), login)
    assert response.status_code == 303 and response.headers["location"] == SITE + home


@pytest.mark.parametrize("next_page", HOSTILE)
def test_hostile_next_pages_fall_back_to_the_console_for_staff(browser, people, next_page):
    response = _password(browser, STAFF, next=next_page)
    assert response.headers["location"] == SITE + routes.ADMIN


def test_staff_follow_a_deep_link_too(browser, people):
    response = _password(browser, STAFF, next="/portal/engagements")
    assert response.headers["location"] == SITE + "/portal/engagements"


def test_an_emailed_code_lands_staff_on_the_console(browser, people, outbox):
    browser.post(routes.API_OTP_REQUEST, {"email": STAFF})
    response = browser.form(routes.API_OTP_VERIFY, {"email": STAFF, "code": outbox.code(STAFF)})
    assert response.status_code == 303 and response.headers["location"] == SITE + routes.ADMIN


def test_a_magic_link_lands_staff_on_the_console(browser, people, outbox):
    browser.post(routes.API_MAGIC_LINK_REQUEST, {"email": STAFF})
    response = browser.form(routes.API_MAGIC_LINK_CONSUME, {"token": outbox.link_token(STAFF, "/auth/magic/")})
    assert response.status_code == 303 and response.headers["location"] == SITE + routes.ADMIN


@pytest.fixture
def staff_app(people, session) -> pyotp.TOTP:
    enrolment = two_step.begin_enrolment(session, user=people.staff)
    app = pyotp.TOTP(enrolment.secret)
    two_step.confirm_enrolment(session, user=people.staff, code=app.now())
    session.commit()
    read(lambda db: db.execute(text("UPDATE auth_two_step_method SET last_step = 0")))
    return app


@pytest.mark.parametrize(
    ("next_page", "lands"),
    [("", routes.ADMIN), ("/admin/leads", "/admin/leads"), *[(bad, routes.ADMIN) for bad in HOSTILE]],
)
def test_the_second_step_keeps_the_landing_and_the_deep_link(browser, people, staff_app, next_page, lands):
    first = _password(browser, STAFF, next=next_page)
    ticket = urlsplit(first.headers["location"]).path.rsplit("/", 1)[-1]
    done = browser.form(routes.API_TWO_STEP, {"ticket": ticket, "code": staff_app.now(), "next": next_page})
    assert done.status_code == 303 and done.headers["location"] == SITE + lands
    assert browser.session_cookie
