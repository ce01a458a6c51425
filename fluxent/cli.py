"""Command line: ``python -m fluxent <command>``."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from datetime import date

from fluxent.core.errors import DomainError
from fluxent.core.settings import PROJECT_ROOT, ConfigError, check_production, get_settings


def migrate(_args: argparse.Namespace) -> int:
    from alembic.config import Config

    from alembic import command

    get_settings().data_dir.mkdir(parents=True, exist_ok=True)
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    command.upgrade(config, "head")
    print("Database is up to date.")
    return 0


def seed(_args: argparse.Namespace) -> int:
    from fluxent.core.db import session_scope
    from fluxent.services.seed import seed_demo

    with session_scope() as session:
        created = seed_demo(session)
    print("\n".join(f"created {line}" for line in created) or "Demo data already present.")
    return 0


def create_user(args: argparse.Namespace) -> int:
    from fluxent.core.db import session_scope
    from fluxent.models.accounts import OrgRole, Role
    from fluxent.services.accounts import organizations, users

    with session_scope() as session:
        user = users.create_user(
            session, email=args.email, password=args.password, role=Role(args.role), name=args.name or ""
        )
        if args.org:
            if user.role is not Role.CLIENT:
                raise SystemExit("--org is for client accounts; staff and admins see every organization.")
            organization = organizations.get_or_create_organization(session, name=args.org)
            has_owner = bool(organizations.owners_of(session, organization))
            role = OrgRole.MEMBER if has_owner else OrgRole.OWNER
            organizations.add_membership(session, user=user, organization=organization, role=role)
        print(f"Created {user.role} {user.email} (username {user.username}).")
    return 0


def audit_verify(_args: argparse.Namespace) -> int:
    from fluxent.services.audit.verification import verify_now

    result = verify_now()
    if result.ok:
        print(f"OK ({result.checked} events)")
        return 0
    print(f"BROKEN at sequence number {result.broken_seq}: {result.reason}")
    return 1


def retention(args: argparse.Namespace) -> int:
    from fluxent.services.privacy.retention import run

    report = run(dry_run=args.dry_run)
    print("\n".join(report.lines()))
    return 1 if report.failed else 0


def billing_process_webhooks(_args: argparse.Namespace) -> int:
    from fluxent.services.billing.webhook_queue import process_pending

    summary = process_pending(limit=1_000_000)
    for change in summary.changes:
        print(f"{change.number or change.invoice_id}: {change.what}")
    print(
        f"{summary.processed} Stripe event(s) processed, {summary.failed} failed (tried again later), "
        f"{summary.waiting} waiting."
    )
    return 1 if summary.failed else 0


def billing_reconcile(_args: argparse.Namespace) -> int:
    from fluxent.services.billing.reconcile import reconcile
    from fluxent.services.billing.webhook_queue import process_pending

    queued = process_pending(limit=1_000_000)
    if queued.processed or queued.failed:
        print(f"{queued.processed} waiting Stripe event(s) processed first, {queued.failed} failed.")
    changes = [*queued.changes, *reconcile()]
    for change in changes:
        print(f"{change.number or change.invoice_id}: {change.what}")
    print(f"{len(changes)} change(s).")
    return 0


def billing_remind(_args: argparse.Namespace) -> int:
    from fluxent.core.clock import now
    from fluxent.core.db import session_scope
    from fluxent.services.billing.reminders import send_reminders

    with session_scope() as session:
        sent = send_reminders(session, today=now().date())
    for reminder in sent:
        print(f"{reminder.number}: reminder '{reminder.stage}' sent")
    print(f"{len(sent)} reminder(s) sent.")
    return 0


def billing_send_receipts(_args: argparse.Namespace) -> int:
    from fluxent.services.billing.receipts import send_due

    summary = send_due()
    print(f"{summary.sent} receipt(s) sent, {summary.failed} failed (tried again later).")
    if summary.given_up:
        print(f"{summary.given_up} receipt(s) given up after repeated failures: see billing_receipt_outbox.last_error.")
    return 1 if summary.failed or summary.given_up else 0


def esign_reminders(_args: argparse.Namespace) -> int:
    from fluxent.core.db import session_scope
    from fluxent.services.esign import completion, reminders

    retry = completion.complete_stuck()
    with session_scope() as session:
        run = reminders.run(session)
    print(
        f"{retry.completed} signed envelopes completed ({retry.failed} failed); "
        f"{run.expired} envelopes expired; {run.reminded_signers} signers of {run.reminded_envelopes} envelopes reminded"
    )
    return 1 if retry.failed else 0


def reminders_run(_args: argparse.Namespace) -> int:
    from fluxent.services.notifications.reminders import run_all

    print("\n".join(run_all().lines()))
    return 0


def notifications_digest(_args: argparse.Namespace) -> int:
    from fluxent.services.notifications.digest import send_digests

    print(f"{send_digests()} digest e-mail(s) sent.")
    return 0


def vault_rotate_keys(_args: argparse.Namespace) -> int:
    from fluxent.core.db import session_scope
    from fluxent.core.storage.file_keys import FileKeys
    from fluxent.core.vault_keys import KeyringError, keyring
    from fluxent.services.vault import keys

    try:
        ring = keyring()
    except KeyringError as error:
        print(f"FLUXENT_VAULT_KEYS: {error}", file=sys.stderr)
        return 1
    with session_scope() as session:
        changed = keys.rotate(session, ring=ring)
        files = FileKeys(get_settings().storage_dir).rotate(ring)
    print(
        f"{changed} vault data key(s) and {files} file data key(s) re-wrapped under {ring.primary_id}; "
        "keys other than it may now leave the settings."
    )
    return 0


def storage_encrypt_existing(_args: argparse.Namespace) -> int:
    from fluxent.core.storage import get_storage
    from fluxent.core.vault_keys import KeyringError

    try:
        run = get_storage().encrypt_existing()
    except KeyringError as error:
        print(f"FLUXENT_VAULT_KEYS: {error}", file=sys.stderr)
        return 1
    print(f"{run.encrypted} file(s) encrypted now, {run.already} already encrypted.")
    return 0


def policy_announce(args: argparse.Namespace) -> int:
    from fluxent.core.db import session_scope
    from fluxent.services.policies.announcements import announce, send_notices

    with session_scope() as session:
        announcement = announce(session, document=args.document, effective=args.effective)
        what = f"{announcement.title} version {announcement.version}, effective {announcement.effective_on.isoformat()}"
        announcement_id = announcement.id
    delivery = send_notices(announcement_id)
    print(f"Announced the {what}.")
    print(f"{delivery.sent} notice(s) sent now, {delivery.failed} failed; {delivery.waiting} still to send.")
    if delivery.waiting:
        print("Run the same command again to send the rest (nobody is mailed twice).")
    return 1 if delivery.waiting else 0


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date written YYYY-MM-DD") from None


def check_config(_args: argparse.Namespace) -> int:
    settings = get_settings()
    check_production(settings)
    print(f"Configuration OK for {settings.env} at {settings.base_url}.")
    return 0


def serving_plan(_args: argparse.Namespace) -> int:
    """Say how many backend processes ``make prod`` starts, and why (Reflex decides from Redis)."""
    from reflex.utils.processes import get_num_workers

    cores = os.cpu_count() or 1
    if not os.environ.get("REFLEX_REDIS_URL"):
        print(
            f"Serving with 1 backend process on {cores} core(s): REFLEX_REDIS_URL is not set, so tab state "
            "lives in this process's memory. Set it to a Redis URL to serve with every core (docs/performance.md)."
        )
        return 0
    workers = os.environ.get("GRANIAN_WORKERS") or get_num_workers()  # exits when Redis does not answer
    print(f"Serving with {workers} backend workers on {cores} core(s); tab state in Redis (REFLEX_REDIS_URL).")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m fluxent", description="Fluxent maintenance commands.")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("migrate", help="apply database migrations").set_defaults(run=migrate)
    commands.add_parser("seed", help="create the demo data (idempotent)").set_defaults(run=seed)
    user = commands.add_parser("create-user", help="create an account non-interactively")
    user.add_argument("--email", required=True)
    user.add_argument("--password", required=True)
    user.add_argument("--role", required=True, choices=["client", "staff", "admin"])
    user.add_argument("--name")
    user.add_argument("--org", help="client organization (created if missing)")
    user.set_defaults(run=create_user)
    audit_cmd = commands.add_parser("audit", help="audit log tools")
    audit_sub = audit_cmd.add_subparsers(dest="audit_command", required=True)
    audit_sub.add_parser("verify", help="check the whole hash chain").set_defaults(run=audit_verify)
    retention_cmd = commands.add_parser(
        "retention",
        help="run the retention table now (one run at a time across processes); --dry-run counts what would go",
    )
    retention_cmd.add_argument("--dry-run", action="store_true", help="print what would go, per rule; change nothing")
    retention_cmd.set_defaults(run=retention)
    billing_cmd = commands.add_parser("billing", help="billing tools")
    billing_sub = billing_cmd.add_subparsers(dest="billing_command", required=True)
    billing_sub.add_parser(
        "reconcile",
        help="process waiting Stripe events, then re-fetch open invoices' payments from Stripe (webhooks that "
        "never came) and print changes",
    ).set_defaults(run=billing_reconcile)
    billing_sub.add_parser(
        "process-webhooks",
        help="process the Stripe events stored by the webhook and still waiting (the app also does, as they arrive)",
    ).set_defaults(run=billing_process_webhooks)
    billing_sub.add_parser(
        "remind", help="e-mail payment reminders (3 days before, on, and 7 days after the due date); run daily"
    ).set_defaults(run=billing_remind)
    billing_sub.add_parser(
        "send-receipts", help="send the payment receipts still in the outbox (the app also sends them at start)"
    ).set_defaults(run=billing_send_receipts)
    esign_cmd = commands.add_parser("esign", help="e-signature tools")
    esign_sub = esign_cmd.add_subparsers(dest="esign_command", required=True)
    esign_sub.add_parser(
        "reminders",
        help="complete signed envelopes, expire overdue signature requests and remind pending signers (run daily)",
    ).set_defaults(run=esign_reminders)
    reminders_cmd = commands.add_parser("reminders", help="scheduled reminders")
    reminders_sub = reminders_cmd.add_subparsers(dest="reminders_command", required=True)
    reminders_sub.add_parser(
        "run",
        help="send every reminder that is due once: milestones waiting 3 days, invitations about to expire, "
        "signature requests, invoices (one run at a time across processes; run hourly)",
    ).set_defaults(run=reminders_run)
    notifications_cmd = commands.add_parser("notifications", help="notification centre tools")
    notifications_sub = notifications_cmd.add_subparsers(dest="notifications_command", required=True)
    notifications_sub.add_parser(
        "digest", help="e-mail each person who chose the daily digest their waiting notifications (run daily)"
    ).set_defaults(run=notifications_digest)
    vault_cmd = commands.add_parser("vault", help="credential vault tools")
    vault_sub = vault_cmd.add_subparsers(dest="vault_command", required=True)
    vault_sub.add_parser(
        "rotate-keys",
        help="re-wrap every engagement's and every stored files' data key under the primary FLUXENT_VAULT_KEYS key",
    ).set_defaults(run=vault_rotate_keys)
    storage_cmd = commands.add_parser("storage", help="stored files tools")
    storage_sub = storage_cmd.add_subparsers(dest="storage_command", required=True)
    storage_sub.add_parser(
        "encrypt-existing", help="encrypt in place the files stored before encryption at rest (resumable)"
    ).set_defaults(run=storage_encrypt_existing)
    policy_cmd = commands.add_parser("policy", help="legal policy tools")
    policy_sub = policy_cmd.add_subparsers(dest="policy_command", required=True)
    announce_cmd = policy_sub.add_parser(
        "announce",
        help="announce the newest version of a legal document: e-mail everyone a notice (once each; "
        "re-run to resume) and show it in the portal until acknowledged",
    )
    announce_cmd.add_argument("--document", required=True, help="privacy, terms, cookies or fulfillment")
    announce_cmd.add_argument(
        "--effective", required=True, type=_iso_date, help="its effective date (YYYY-MM-DD), as in its front matter"
    )
    announce_cmd.set_defaults(run=policy_announce)
    commands.add_parser("check-config", help="refuse unsafe production settings").set_defaults(run=check_config)
    commands.add_parser(
        "serving-plan", help="say how many backend processes production starts (several with REFLEX_REDIS_URL)"
    ).set_defaults(run=serving_plan)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except ConfigError as error:
        print(error, file=sys.stderr)
        return 2
    except DomainError as error:
        details = "".join(f"\n  {name}: {text}" for name, text in error.fields.items())
        print(f"error: {error.message}{details}", file=sys.stderr)
        return 1
