"""Migration 0007: lead notes and the lead's conversion link, up and down, keeping existing leads
and their consent records (SQLite rebuilds marketing_lead to add the foreign key)."""

from __future__ import annotations

from alembic.config import Config
from sqlalchemy import inspect, text

from alembic import command
from fluxent.core import db
from fluxent.core.settings import PROJECT_ROOT


def _alembic(action, revision: str) -> None:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.attributes["configure_logger"] = False
    action(config, revision)
    db.dispose_engines()


def _counts() -> tuple[int, int]:
    with db.get_engine().connect() as connection:
        leads = connection.execute(text("SELECT count(*) FROM marketing_lead")).scalar_one()
        consents = connection.execute(
            text("SELECT count(*) FROM marketing_consent WHERE lead_id IS NOT NULL")
        ).scalar_one()
    return leads, consents


def test_upgrade_and_downgrade_keep_leads_and_consents(database):
    _alembic(command.downgrade, "0006_portal_core")
    with db.get_engine().begin() as connection:
        connection.execute(
            text(
                "INSERT INTO marketing_lead (id, source, status, name, email, phone, company, country, message, audience,"
                " timeline, budget, created_at, last_activity_at) VALUES (7, 'contact', 'new', 'Dana', 'dana@example.com',"
                " '', 'Northwind', 'NL', 'A message', '', '', '', '2026-01-01 00:00:00+00', '2026-01-01 00:00:00+00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO marketing_consent (email, subject, statement, policy_version, agreed_at, lead_id)"
                " VALUES ('dana@example.com', 'contact_form', 'I agree', '1', '2026-01-01 00:00:00+00', 7)"
            )
        )
    db.dispose_engines()

    _alembic(command.upgrade, "0007_lead_notes")
    assert _counts() == (1, 1)
    inspector = inspect(db.get_engine())
    assert {"organization_id", "converted_at"} <= {c["name"] for c in inspector.get_columns("marketing_lead")}
    [reference] = inspector.get_foreign_keys("marketing_lead")
    assert reference["referred_table"] == "account_organization"
    assert reference["options"].get("ondelete") == "SET NULL"
    assert "marketing_lead_note" in inspector.get_table_names()

    _alembic(command.downgrade, "0006_portal_core")
    assert _counts() == (1, 1)
    inspector = inspect(db.get_engine())
    assert "organization_id" not in {c["name"] for c in inspector.get_columns("marketing_lead")}
    assert "marketing_lead_note" not in inspector.get_table_names()
    _alembic(command.upgrade, "head")
