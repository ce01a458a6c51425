"""E-signature in a real browser, the whole path: staff create an envelope from the statement
of work, place fields for the client and the countersigner, send; the client opens the link,
enters the e-mailed code, consents, draws a signature and signs; the countersigner signs;
both get the sealed PDF; pyHanko validates its seal; /verify recognises it and refuses a copy
with one byte changed. Screenshots at 1280 and 375 pixels."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from fluxent import routes
from fluxent.services.seed import DEMO_CLIENT, DEMO_STAFF
from tests.support.pages import DESKTOP, PHONE, START_DEMO_SESSION

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900)]
LINK_RE = re.compile(r"/sign/([A-Za-z0-9_-]+)")
CODE_RE = re.compile(r"Your code is (\d{6})")


def _session_of(server, email: str) -> str:
    return server.python(START_DEMO_SESSION.replace(repr(DEMO_CLIENT.email), repr(email))).strip().splitlines()[-1]


def _place(page, signer: str, kind: str, page_index: int, x: float, y: float) -> None:
    page.locator("#place-signer").select_option(label=signer)
    page.locator("#place-kind").select_option(kind)
    image = page.get_by_role("img", name=f"Page {page_index + 1}").first
    box = image.bounding_box()
    image.click(position={"x": box["width"] * x, "y": box["height"] * y})


def _tab_to(page, target, *, presses: int = 80) -> None:
    """Press Tab until ``target`` has the focus (the way a keyboard user gets there)."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if target.evaluate("e => e === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {target}")


def test_statement_of_work_signed_by_client_and_countersigner(new_page, server, outbox, artifacts, tmp_path):
    staff_cookie = _session_of(server, DEMO_STAFF.email)
    staff = new_page(DESKTOP, session_cookie=staff_cookie)
    staff.goto(routes.ADMIN_ENVELOPES)
    expect(staff.get_by_role("heading", level=1)).to_have_text("Envelopes")
    form = staff.get_by_role("form", name="New envelope")
    form.locator("#create-document").select_option(index=0)
    form.get_by_label("Title").fill("Fleet telemetry dashboard: SOW")
    form.locator("#create-signer0_name").fill(DEMO_CLIENT.name)
    form.locator("#create-signer0_email").fill(DEMO_CLIENT.email)
    form.locator("#create-signer1_name").fill(DEMO_STAFF.name)
    form.locator("#create-signer1_email").fill(DEMO_STAFF.email)
    form.get_by_label("Fluxent countersigner (a staff account)").nth(1).check()
    form.get_by_role("button", name="Create draft").click()
    expect(staff.get_by_role("img", name="Page 2")).to_be_visible()
    _place(staff, DEMO_CLIENT.name, "signature", 1, 0.3, 0.25)
    expect(staff.get_by_text(f"Signature for {DEMO_CLIENT.name}, page 2")).to_be_visible()
    _place(staff, DEMO_STAFF.name, "signature", 1, 0.3, 0.45)
    expect(staff.get_by_text(f"Signature for {DEMO_STAFF.name}, page 2")).to_be_visible()
    staff.screenshot(path=artifacts / f"admin-envelopes-{DESKTOP}.png", full_page=True)
    staff.get_by_role("button", name="Send for signature").click()
    expect(staff.get_by_text("Sent: the first signer has the link.")).to_be_visible()

    # The client: the link, then the code from the e-mail, then the disclosure.
    token = LINK_RE.search(outbox(DEMO_CLIENT.email, "Please sign")).group(1)
    client = new_page(PHONE)
    client.goto(routes.with_token(routes.SIGN, token))
    expect(client.get_by_role("button", name="E-mail me a code")).to_be_visible()
    expect(client.get_by_role("img", name="Page 1")).to_have_count(0)  # nothing shown before the code
    client.get_by_role("button", name="E-mail me a code").click()
    code = CODE_RE.search(outbox(DEMO_CLIENT.email, "Your code")).group(1)
    client.get_by_label("Code from the e-mail").fill(code)
    client.get_by_role("button", name="Open the document").click()
    expect(client.get_by_role("heading", name="Consumer disclosure: electronic records and signatures")).to_be_visible()
    for topic in ("Electronic records and signatures", "Your right to paper", "Withdrawing consent", "What you need"):
        expect(client.get_by_role("heading", name=topic, exact=True)).to_be_visible()
    client.screenshot(path=artifacts / f"sign-consent-{PHONE}.png", full_page=True)
    client.get_by_role("button", name="I agree to use electronic records and signatures").click()
    expect(client.get_by_role("img", name="Page 2")).to_be_visible()
    # The page images above the pad (loaded lazily) move it as they load: draw once they all have.
    client.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    client.wait_for_function("[...document.images].every(image => image.complete && image.naturalWidth > 0)")
    pad = client.get_by_role("img", name="Draw your signature with a mouse, pen or finger")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    client.mouse.move(box["x"] + 20, box["y"] + box["height"] * 0.7)
    client.mouse.down()
    for step in range(1, 12):
        client.mouse.move(box["x"] + 20 + step * 22, box["y"] + box["height"] * (0.7 - 0.4 * (step % 2)), steps=3)
    client.mouse.up()
    client.get_by_label(re.compile("I intend to sign this document")).check()
    assert client.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0  # no sideways scroll
    client.screenshot(path=artifacts / f"sign-fields-{PHONE}.png", full_page=True)
    client.get_by_role("button", name="Sign and finish").click()
    expect(client.get_by_text(re.compile("Thank you: you have signed"))).to_be_visible()

    # The countersigner, signed in to the portal, skips the code and types a signature, from the keyboard only.
    token = LINK_RE.search(outbox(DEMO_STAFF.email, "Please sign")).group(1)
    counter = new_page(DESKTOP, session_cookie=staff_cookie)
    counter.goto(routes.with_token(routes.SIGN, token))
    _tab_to(counter, counter.get_by_role("button", name="I agree to use electronic records and signatures"))
    counter.keyboard.press("Enter")
    expect(counter.get_by_role("img", name="Page 2")).to_be_visible()
    _tab_to(counter, counter.get_by_role("button", name="Type", exact=True))
    counter.keyboard.press("Enter")
    _tab_to(counter, counter.get_by_label("Type your full name"))
    counter.keyboard.type(DEMO_STAFF.name)
    intent = counter.get_by_label(re.compile("I intend to sign this document"))
    _tab_to(counter, intent)
    counter.keyboard.press("Space")
    expect(intent).to_be_checked()
    counter.screenshot(path=artifacts / f"sign-typed-{DESKTOP}.png", full_page=True)
    _tab_to(counter, counter.get_by_role("button", name="Sign and finish"))
    counter.keyboard.press("Enter")
    expect(counter.get_by_text(re.compile("Thank you: you have signed"))).to_be_visible()

    # Both parties have the sealed PDF; its seal validates.
    for address in (DEMO_CLIENT.email, DEMO_STAFF.email):
        assert "The signed document" in outbox(address, "Signed by everyone")
    sealed_path = tmp_path / "sealed.pdf"
    server.python(
        "from fluxent.core.db import read_scope\n"
        "from fluxent.core.storage import get_storage\n"
        "from fluxent.models.esign import Envelope, EnvelopeStatus\n"
        "from sqlmodel import select\n"
        "with read_scope() as db:\n"
        "    envelope = db.scalars(select(Envelope).where(Envelope.status == EnvelopeStatus.COMPLETED)).one()\n"
        "    key = envelope.final_storage_key\n"
        f"open({str(sealed_path)!r}, 'wb').write(b''.join(get_storage().read(key)))\n"
    )
    check = server.python(
        "from fluxent.services.esign import seal\n"
        f"c = seal.check(open({str(sealed_path)!r}, 'rb').read())\n"
        "print(c.sealed, c.intact, c.trusted)\n"
    )
    assert check.strip().splitlines()[-1] == "True True True"

    # Public verification: the file matches, one changed byte does not.
    visitor = new_page(PHONE)
    visitor.goto(routes.VERIFY)
    visitor.get_by_label("The signed PDF").set_input_files(str(sealed_path))
    visitor.get_by_role("button", name="Check the document").click()
    expect(visitor.get_by_test_id("verify-match")).to_contain_text("Match: this is envelope")
    visitor.screenshot(path=artifacts / f"verify-match-{PHONE}.png", full_page=True)
    tampered = bytearray(sealed_path.read_bytes())
    tampered[len(tampered) // 2] ^= 0x01
    (tmp_path / "tampered.pdf").write_bytes(bytes(tampered))
    visitor.get_by_label("The signed PDF").set_input_files(str(tmp_path / "tampered.pdf"))
    visitor.get_by_role("button", name="Check the document").click()
    expect(visitor.get_by_test_id("verify-no-match")).to_be_visible()


def test_the_field_editor_asks_for_a_larger_screen_on_a_phone(new_page, server, artifacts):
    page = new_page(PHONE, session_cookie=_session_of(server, DEMO_STAFF.email))
    page.goto(routes.ADMIN_ENVELOPES)
    page.get_by_role("button", name=re.compile("^Open")).first.click()
    expect(page.get_by_text("Use a larger screen to place fields")).to_be_visible()
    page.screenshot(path=artifacts / f"admin-envelopes-{PHONE}.png", full_page=True)


def _position(marker) -> tuple[float, float]:
    """Where a field's marker sits on its page, as fractions of the page image (left, top)."""
    return tuple(
        marker.evaluate(
            "e => { const s = getComputedStyle(e), p = e.parentElement;"
            " return [parseFloat(s.left) / p.clientWidth, parseFloat(s.top) / p.clientHeight]; }"
        )
    )


@pytest.mark.adds_to_demo_data
def test_fields_are_placed_moved_and_deleted_with_the_keyboard(new_page, server, artifacts):
    staff = new_page(DESKTOP, session_cookie=_session_of(server, DEMO_STAFF.email))
    staff.goto(routes.ADMIN_ENVELOPES)
    form = staff.get_by_role("form", name="New envelope")
    form.locator("#create-document").select_option(index=0)
    form.get_by_label("Title").fill("Change order: keyboard placement")
    form.locator("#create-signer0_name").fill(DEMO_CLIENT.name)
    form.locator("#create-signer0_email").fill(DEMO_CLIENT.email)
    form.get_by_role("button", name="Create draft").click()
    expect(staff.get_by_role("img", name="Page 1")).to_be_visible()
    staff.locator("#place-kind").select_option("text")
    staff.locator("#place-page").select_option(label="Page 1")
    place = staff.get_by_role("button", name="Place the field on this page")
    place.focus()
    staff.keyboard.press("Enter")
    marker = staff.get_by_test_id("field-marker")
    expect(marker).to_be_focused()  # the new field takes the focus, with a visible ring
    assert marker.evaluate("e => getComputedStyle(e).outlineStyle") == "solid"
    expect(staff.get_by_text(f"Text for {DEMO_CLIENT.name}, page 1")).to_be_visible()
    left, top = _position(marker)
    assert abs(left - 0.375) < 0.01 and abs(top - 0.485) < 0.01
    scrolled = staff.evaluate("window.scrollY")
    staff.keyboard.press("Shift+ArrowDown")
    staff.wait_for_function(
        "t => { const e = document.querySelector('[data-testid=field-marker]');"
        " return parseFloat(getComputedStyle(e).top) / e.parentElement.clientHeight > t; }",
        arg=top + 0.04,
    )
    for _ in range(3):
        staff.keyboard.press("ArrowRight")
    staff.wait_for_function(
        "l => { const e = document.querySelector('[data-testid=field-marker]');"
        " return parseFloat(getComputedStyle(e).left) / e.parentElement.clientWidth > l; }",
        arg=left + 0.025,
    )
    assert staff.evaluate("window.scrollY") == scrolled  # the arrows moved the field, not the page
    expect(marker).to_be_focused()
    staff.screenshot(path=artifacts / f"admin-envelopes-keyboard-{DESKTOP}.png", full_page=True)
    staff.keyboard.press("Delete")
    expect(marker).to_have_count(0)
    expect(place).to_be_focused()
    expect(staff.get_by_text("No fields yet.")).to_be_visible()
