"""``python -m fluxent``: migrate, seed, create-user and audit verify, as an operator runs them."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import pytest

from fluxent.core.clock import now
from fluxent.core.settings import PROJECT_ROOT
from fluxent.services.policies import versions


@pytest.fixture
def run(tmp_path):
    base = {key: value for key, value in os.environ.items() if not key.startswith(("FLUXENT_", "REFLEX_REDIS"))}
    base |= {"FLUXENT_ENV": "development", "FLUXENT_DATA_DIR": str(tmp_path)}

    def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "fluxent", *args],
            cwd=PROJECT_ROOT,
            env=base | (env or {}),
            capture_output=True,
            text=True,
            timeout=120,
        )

    _run.db = tmp_path / "fluxent.db"  # type: ignore[attr-defined]
    return _run


def test_migrate_seed_create_user_and_verify(run):
    assert run("migrate").returncode == 0
    first = run("seed")
    assert first.returncode == 0 and "created user client@demo.fluxent.tech" in first.stdout
    again = run("seed")
    assert again.returncode == 0 and "already present" in again.stdout

    made = run(
        "create-user",
        "--email",
        "Lee@Acme.test",
        "--password",
        "a-long-enough-passphrase",
        "--role",
        "client",
        "--org",
        "Acme",
    )
    assert made.returncode == 0, made.stderr
    duplicate = run(
        "create-user", "--email", "lee@acme.test", "--password", "a-long-enough-passphrase", "--role", "staff"
    )
    assert duplicate.returncode == 1 and "already exists" in duplicate.stderr
    weak = run("create-user", "--email", "x@acme.test", "--password", "short", "--role", "client")
    assert weak.returncode == 1 and "at least 15 characters" in weak.stderr
    bad_role = run("create-user", "--email", "y@acme.test", "--password", "a-long-enough-passphrase", "--role", "root")
    assert bad_role.returncode == 2

    with sqlite3.connect(run.db) as conn:
        role, org = conn.execute(
            "SELECT m.role, o.name FROM account_membership m JOIN account_user u ON u.id = m.user_id"
            " JOIN account_organization o ON o.id = m.organization_id WHERE u.email = 'lee@acme.test'"
        ).fetchone()
        assert (role, org) == ("owner", "Acme")
        stored = conn.execute("SELECT password_hash FROM account_user WHERE email = 'lee@acme.test'").fetchone()[0]
        assert stored.startswith("$2b$12$")

    verified = run("audit", "verify")
    assert verified.returncode == 0 and verified.stdout.startswith("OK")


def test_audit_verify_names_the_tampered_row(run):
    assert run("migrate").returncode == 0
    assert run("seed").returncode == 0
    with sqlite3.connect(run.db) as conn:
        conn.execute("DROP TRIGGER audit_event_append_only_update")
        conn.execute("UPDATE audit_event SET action = 'accounts.nothing_happened' WHERE seq = 2")
    result = run("audit", "verify")
    assert result.returncode == 1
    assert "BROKEN at sequence number 2" in result.stdout


def test_retention_dry_run_counts_then_a_run_archives_only_leads_inactive_for_24_months(run):
    assert run("migrate").returncode == 0
    with sqlite3.connect(run.db) as conn:
        for name, last in (("Old", "2020-01-01 00:00:00.000000"), ("New", "2099-01-01 00:00:00.000000")):
            conn.execute(
                "INSERT INTO marketing_lead (source, status, name, email, phone, company, country, message, audience,"
                " timeline, budget, created_at, last_activity_at) VALUES ('contact', 'new', ?, 'a@b.example', '', '',"
                " 'US', 'hello there', '', '', '', ?, ?)",
                (name, last, last),
            )
    dry = run("retention", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.startswith("Dry run: nothing was changed.")
    assert "archive-leads: 1 leads idle 24 months or whose engagement closed would be archived" in dry.stdout
    assert "purge-audit: 0 audit events older than 2 years would be deleted" in dry.stdout
    with sqlite3.connect(run.db) as conn:
        assert dict(conn.execute("SELECT name, status FROM marketing_lead")) == {"Old": "new", "New": "new"}

    done = run("retention")
    assert done.returncode == 0, done.stderr
    assert "archive-leads: 1 leads idle 24 months or whose engagement closed archived" in done.stdout
    with sqlite3.connect(run.db) as conn:
        assert dict(conn.execute("SELECT name, status FROM marketing_lead")) == {"Old": "archived", "New": "new"}
        runs = conn.execute("SELECT meta FROM audit_event WHERE action = 'privacy.retention_run'").fetchall()
    assert len(runs) == 1 and '"archive-leads":1' in runs[0][0]
    assert "archive-leads: 0 leads" in run("retention").stdout


def test_retention_skips_while_another_process_holds_the_lease(run):
    assert run("migrate").returncode == 0
    with sqlite3.connect(run.db) as conn:
        conn.execute(
            "INSERT INTO maintenance_lease (job, holder, expires_at) VALUES ('retention', 'elsewhere:1:x', ?)",
            ("2999-01-01 00:00:00.000000",),
        )
    skipped = run("retention")
    assert skipped.returncode == 0 and "another run is in progress; skipped" in skipped.stdout
    assert "retention: another run" not in run("retention", "--dry-run").stdout  # a dry run needs no lease


def test_serving_plan_says_one_process_without_redis_and_every_core_with_it(run):
    alone = run("serving-plan")
    assert alone.returncode == 0 and "Serving with 1 backend process" in alone.stdout
    with_redis = run("serving-plan", env={"REFLEX_REDIS_URL": "redis://127.0.0.1:6379"})
    workers = min((os.cpu_count() or 1) * 2 + 1, 8)
    assert with_redis.returncode == 0, with_redis.stderr
    assert f"Serving with {workers} backend workers" in with_redis.stdout


def test_billing_reconcile_and_remind(run):
    assert run("migrate").returncode == 0
    unconfigured = run("billing", "reconcile")
    assert unconfigured.returncode == 0 and "0 change(s)." in unconfigured.stdout  # no payment started yet
    remind = run("billing", "remind")
    assert remind.returncode == 0 and "0 reminder(s) sent." in remind.stdout


def test_esign_reminders_runs_and_is_idempotent(run):
    assert run("migrate").returncode == 0
    for _ in range(2):
        result = run("esign", "reminders")
        assert result.returncode == 0, result.stderr
        assert "0 envelopes expired; 0 signers of 0 envelopes reminded" in result.stdout
    assert run("esign").returncode == 2  # a group: the subcommand is required
    assert run("esign-reminders").returncode == 2  # the old spelling is gone


def test_reminders_run_and_the_digest_run_and_a_held_lease_skips(run):
    assert run("migrate").returncode == 0
    result = run("reminders", "run")
    assert result.returncode == 0, result.stderr
    assert "0 milestone(s) waiting for a decision reminded" in result.stdout
    assert "0 invoice reminder(s) sent" in result.stdout
    with sqlite3.connect(run.db) as conn:
        conn.execute(  # the first run left the row, free
            "UPDATE maintenance_lease SET holder = 'elsewhere:1:x', expires_at = ? WHERE job = 'reminders'",
            ("2999-01-01 00:00:00.000000",),
        )
    skipped = run("reminders", "run")
    assert skipped.returncode == 0 and "Another run holds the reminders lease" in skipped.stdout
    digest = run("notifications", "digest")
    assert digest.returncode == 0 and "0 digest e-mail(s) sent." in digest.stdout


def test_vault_rotate_keys_re_wraps_and_refuses_a_bad_key_list(run, tmp_path):
    assert run("migrate").returncode == 0
    rotated = run("vault", "rotate-keys")
    assert (
        rotated.returncode == 0 and "0 vault data key(s) and 0 file data key(s) re-wrapped under dev1" in rotated.stdout
    )
    assert (tmp_path / "vault-keys").exists()
    bad = run("vault", "rotate-keys", env={"FLUXENT_VAULT_KEYS": "k1:c2hvcnQ="})
    assert bad.returncode == 1 and "must be 32 random bytes" in bad.stderr and "c2hvcnQ" not in bad.stderr


def _policy_notices(data_dir) -> list:
    return [path for path in (data_dir / "outbox").glob("*.eml") if b"Privacy Policy changes" in path.read_bytes()]


def test_policy_announce_refuses_a_wrong_document_or_date_and_mails_nobody(run, tmp_path):
    assert run("migrate").returncode == 0 and run("seed").returncode == 0
    newest = versions.current("privacy")
    wrong = run("policy", "announce", "--document", "privacy", "--effective", "2030-01-01")
    assert wrong.returncode == 1
    assert f"takes effect on {newest.effective.isoformat()}, not 2030-01-01" in wrong.stderr
    unknown = run("policy", "announce", "--document", "refunds", "--effective", "2030-01-01")
    assert unknown.returncode == 1 and "There is no legal document 'refunds'" in unknown.stderr
    garbled = run("policy", "announce", "--document", "privacy", "--effective", "21/12/2026")
    assert garbled.returncode == 2 and "'21/12/2026' is not a date written YYYY-MM-DD" in garbled.stderr
    with sqlite3.connect(run.db) as conn:
        assert conn.execute("SELECT count(*) FROM policy_announcement").fetchone() == (0,)
    assert _policy_notices(tmp_path) == []


def test_policy_announce_mails_everyone_once_across_runs(run, tmp_path):
    newest = versions.current("privacy")
    if newest.effective < now().date():
        pytest.skip("the newest privacy policy is already in effect: there is nothing to announce")
    assert run("migrate").returncode == 0 and run("seed").returncode == 0
    command = ("policy", "announce", "--document", "privacy", "--effective", newest.effective.isoformat())
    first = run(*command)
    assert first.returncode == 0, first.stderr
    assert f"Announced the Privacy Policy version {newest.number}" in first.stdout
    assert "4 notice(s) sent now, 0 failed; 0 still to send." in first.stdout  # the four demo accounts
    again = run(*command)
    assert again.returncode == 0 and "0 notice(s) sent now" in again.stdout
    assert len(_policy_notices(tmp_path)) == 4
