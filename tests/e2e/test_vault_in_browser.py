"""The credential vault in a real browser, as people use it: the demo client adds an AWS login
to an engagement of hers; Priya, assigned to it, confirms with her password, reveals and copies
it; the client stores a new value from the page, and Priya reveals the earlier version from the
item's history; the client's activity page shows them; closing the engagement e-mails the
offboarding report and the items are gone, and neither value ever reached the server's log or
the database file. Screenshots at 1280 and 375 px land in tests/e2e/artifacts/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from fluxent import routes
from fluxent.services.seed import DEMO_CLIENT, DEMO_ORGANIZATION, DEMO_STAFF
from tests.support.pages import DESKTOP, PHONE, START_DEMO_SESSION

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900)]

START_STAFF_SESSION = START_DEMO_SESSION.replace("DEMO_CLIENT", "DEMO_STAFF").replace(
    repr(DEMO_CLIENT.email), repr(DEMO_STAFF.email)
)
ENGAGEMENT = "Cloud migration"
SECRET = "canary-vault-e2e-7f3a9c"
ROTATED = "canary-vault-e2e-rotated-41d2"
# An engagement of its own, delivered (its one milestone accepted) so staff can close it at the end
# without touching the seeded demo engagement the other browser tests read: prints its id.
ADD_ENGAGEMENT = f"""
from fluxent.core.db import session_scope
from fluxent.models.engagements import EngagementStatus
from fluxent.services.accounts import organizations, users
from fluxent.services.portal import engagements, milestones
with session_scope() as db:
    staff = users.user_by_email(db, {DEMO_STAFF.email!r})
    client = users.user_by_email(db, {DEMO_CLIENT.email!r})
    org = organizations.get_or_create_organization(db, name={DEMO_ORGANIZATION!r})
    e = engagements.create_engagement(db, actor=staff, organization_id=org.id, title={ENGAGEMENT!r},
                                      fixed_price_minor=100000, currency="USD", staff_ids=[staff.id])
    m = milestones.add_milestone(db, actor=staff, engagement_id=e.id, title="Cut-over", amount_minor=100000)
    for status in (EngagementStatus.PROPOSED, EngagementStatus.ACTIVE):
        engagements.change_status(db, actor=staff, engagement_id=e.id, status=status)
    milestones.start(db, actor=staff, engagement_id=e.id, milestone_id=m.id)
    milestones.submit(db, actor=staff, engagement_id=e.id, milestone_id=m.id)
    milestones.accept(db, actor=client, engagement_id=e.id, milestone_id=m.id)
    engagements.change_status(db, actor=staff, engagement_id=e.id, status=EngagementStatus.DELIVERED)
    print(e.id)
"""


def _cookie(server, snippet: str) -> str:
    return server.python(snippet).strip().splitlines()[-1]


def _no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


@pytest.mark.adds_to_demo_data
def test_add_reveal_copy_see_the_log_and_close(server, new_page, artifacts, outbox):
    engagement_id = int(server.python(ADD_ENGAGEMENT).strip().splitlines()[-1])
    client = new_page(DESKTOP, session_cookie=_cookie(server, START_DEMO_SESSION))
    staff = new_page(DESKTOP, session_cookie=_cookie(server, START_STAFF_SESSION))
    staff.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.base_url)

    # The client finds the engagement's vault and adds an AWS login.
    client.goto(routes.PORTAL_VAULT)
    client.get_by_role("link", name=ENGAGEMENT).click()
    expect(client).to_have_url(re.compile(rf"/portal/vault/{engagement_id}$"))
    form = client.get_by_role("form", name="Add a credential")
    form.get_by_label("Name", exact=True).fill("AWS production")
    form.get_by_label("Username", exact=True).fill("deploy-bot")
    form.get_by_label("Password", exact=True).fill(SECRET)
    form.get_by_label("URL", exact=True).fill("https://console.aws.amazon.com")
    form.get_by_role("button", name="Save encrypted").click()
    items = client.get_by_role("list", name="Vault items")
    expect(items).to_contain_text("AWS production")
    expect(client.get_by_text(SECRET)).to_have_count(0)
    client.screenshot(path=artifacts / "vault-client-1280.png", full_page=True)

    # Priya, assigned, reveals it from the staff engagement page: first she confirms it is her.
    staff.goto(routes.admin_engagement(engagement_id))
    staff.get_by_role("button", name="Reveal AWS production").click()
    dialog = staff.get_by_role("dialog", name="Confirm it's you")
    expect(dialog).to_be_visible()
    staff.screenshot(path=artifacts / "vault-step-up-1280.png", full_page=True)
    dialog.get_by_label("Password").fill(DEMO_STAFF.password)
    dialog.get_by_role("button", name="Confirm").click()
    revealed = staff.get_by_test_id("revealed")
    expect(revealed).to_contain_text(SECRET)
    staff.get_by_role("button", name="Copy Password").click()
    expect(staff.get_by_role("status").filter(has_text="Copied to the clipboard.")).to_be_visible()
    assert staff.evaluate("navigator.clipboard.readText()") == SECRET
    staff.screenshot(path=artifacts / "vault-revealed-1280.png", full_page=True)
    staff.get_by_role("button", name="Hide").click()
    expect(staff.get_by_text(SECRET)).to_have_count(0)

    # The client stores a new value from the page; the item's history lists both, and the earlier one still opens.
    client.get_by_role("button", name="Edit AWS production").click()
    edit = client.get_by_role("form", name="Edit AWS production")
    expect(edit.get_by_label("Name", exact=True)).to_have_value("AWS production")
    expect(edit.get_by_label("Password", exact=True)).to_have_value("")  # the stored value never reaches the form
    edit.get_by_label("Username", exact=True).fill("deploy-bot")
    edit.get_by_label("Password", exact=True).fill(ROTATED)
    client.screenshot(path=artifacts / "vault-edit-1280.png", full_page=True)
    edit.get_by_role("button", name="Save changes").click()
    expect(client.get_by_role("status").filter(has_text="earlier value is kept")).to_be_visible()
    expect(items).to_contain_text("version 2")
    staff.get_by_role("button", name="Versions of AWS production").click()
    versions = staff.get_by_role("list", name="Versions of AWS production")
    expect(versions).to_contain_text("Version 2 (current)")
    expect(versions).to_contain_text("Version 1")
    staff.get_by_role("button", name="Reveal version 1 of AWS production").click()
    expect(revealed).to_contain_text("Earlier version 1")
    expect(revealed).to_contain_text(SECRET)
    staff.get_by_role("button", name="Hide").click()
    expect(staff.get_by_text(SECRET)).to_have_count(0)

    # The client's activity page shows the reveal and the copy.
    client.goto(routes.portal_vault_activity(engagement_id))
    log = client.get_by_role("list", name="Vault activity")
    expect(log).to_contain_text("Priya Raman (Fluxent) copied AWS production")
    expect(log).to_contain_text("Priya Raman (Fluxent) revealed AWS production")
    expect(log).to_contain_text("changed AWS production")
    client.screenshot(path=artifacts / "vault-activity-1280.png", full_page=True)

    phone = new_page(PHONE, session_cookie=_cookie(server, START_DEMO_SESSION))
    for route, name in (
        (routes.portal_vault(engagement_id), "vault-client-375"),
        (routes.portal_vault_activity(engagement_id), "vault-activity-375"),
    ):
        phone.goto(route)
        expect(phone.get_by_role("heading", name=ENGAGEMENT)).to_be_visible()
        _no_sideways_scroll(phone)
        phone.screenshot(path=artifacts / f"{name}.png", full_page=True)
    phone.goto(routes.portal_vault(engagement_id))
    phone.get_by_role("button", name="Edit AWS production").click()
    expect(phone.get_by_role("form", name="Edit AWS production")).to_be_visible()
    _no_sideways_scroll(phone)
    phone.screenshot(path=artifacts / "vault-edit-375.png", full_page=True)

    # Staff close the engagement: the owner gets the offboarding report, and the vault is gone.
    staff.get_by_role("button", name="Close the engagement").click()
    expect(staff.get_by_role("status").filter(has_text="closed")).to_be_visible()
    expect(staff.get_by_text("Only staff assigned to this engagement see its vault.", exact=False)).to_be_visible()
    report = outbox(DEMO_CLIENT.email, "Vault offboarding report")
    assert "Priya Raman revealed \u201cAWS production\u201d" in report and "Rotate each" in report
    assert SECRET not in report
    client.goto(routes.portal_vault(engagement_id))
    expect(client.get_by_text("There is no vault here for you.")).to_be_visible()
    assert (
        server.python(
            "from sqlalchemy import func, select\n"
            "from fluxent.core.db import read_scope\n"
            "from fluxent.models.vault import VaultItem, VaultDataKey\n"
            "with read_scope() as db:\n"
            f"    print(db.scalar(select(func.count()).select_from(VaultItem).where(VaultItem.engagement_id == {engagement_id})),"
            f" db.scalar(select(func.count()).select_from(VaultDataKey).where(VaultDataKey.engagement_id == {engagement_id})))"
        )
        .strip()
        .splitlines()[-1]
        == "0 0"
    )
    # Neither value ever reached the server's log or the database file.
    logged = server.log_path.read_text(errors="replace")
    assert SECRET not in logged and ROTATED not in logged
    stored = b"".join(path.read_bytes() for path in Path(server.env["FLUXENT_DATA_DIR"]).glob("e2e.db*"))
    assert SECRET.encode() not in stored and ROTATED.encode() not in stored
