"""The retention table: what goes when, for every table that keeps data about people.

Each rule keeps a row of the policy's retention table (``policy.POLICY_RETENTION``) or, for
data the policy does not list (throttle counters, development e-mail files), a promise of
its own. The retention command runs one job per rule (``retention.JOBS``, same keys), the
registry adds each rule's words to what the privacy page and the erasure report say about
its tables, and ``registry.coverage_problems`` fails while a rule names a table the registry
does not know. Periods a service already declares (leads, throttles, billing) are read from
it, not restated.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from fluxent.services.auth.throttle import STALE_AFTER
from fluxent.services.billing.retention import KEEP_YEARS
from fluxent.services.marketing.leads import INACTIVITY_LIMIT
from fluxent.services.notifications.centre import KEPT as NOTIFICATIONS_KEPT
from fluxent.services.notifications.centre import READ_KEPT as READ_NOTIFICATIONS_KEPT
from fluxent.services.privacy.policy import (
    RETENTION_ACCOUNTS,
    RETENTION_AUDIT,
    RETENTION_AUTH_TOKENS,
    RETENTION_BILLING,
    RETENTION_LEADS,
    RETENTION_VAULT,
    RetentionRule,
)

SESSION_TRACES_KEPT = timedelta(days=30)
AUDIT_KEPT = timedelta(days=730)
OUTBOX_KEPT = timedelta(hours=24)
ARCHIVE_NOTICE_BEFORE = timedelta(days=30)


@dataclass(frozen=True)
class Rule:
    """One rule of the table.

    ``what`` names what a run counts and ``done`` what happens to it ("12 <what> <done>");
    ``promise`` is the sentence the privacy page shows beside the tables it covers (empty where
    the table's registry entry already says it).
    """

    key: str
    policy: RetentionRule | None
    tables: tuple[str, ...]
    what: str
    done: str
    promise: str


def _days(period: timedelta) -> int:
    return period.days


RULES: tuple[Rule, ...] = (
    Rule(
        "purge-one-time-codes",
        RETENTION_AUTH_TOKENS,
        ("auth_one_time_token",),
        "used or expired one-time codes and links",
        "deleted",
        "used or expired codes and links are deleted within a day, with any new e-mail address "
        "waiting for confirmation",
    ),
    Rule(
        "forget-session-traces",
        RETENTION_ACCOUNTS,
        ("auth_session",),
        f"sessions ended over {_days(SESSION_TRACES_KEPT)} days ago",
        "cleared of IP address and browser",
        f"the IP address and browser of a session are removed {_days(SESSION_TRACES_KEPT)} days after it ends",
    ),
    Rule(
        "purge-throttles",
        None,
        ("auth_throttle",),
        "sign-in throttle counters quiet for a day",
        "deleted",
        f"failure counters are deleted once quiet for {_days(STALE_AFTER)} day",
    ),
    Rule(
        "archive-leads",
        RETENTION_LEADS,
        ("marketing_lead",),
        f"leads idle {_days(INACTIVITY_LIMIT) // 365 * 12} months or whose engagement closed",
        "archived",
        f"a lead is archived {_days(INACTIVITY_LIMIT) // 365 * 12} months after its last activity, or when "
        "the engagement it became closes, whichever comes first",
    ),
    Rule(
        "notify-accounts",
        RETENTION_ACCOUNTS,
        ("account_user",),
        f"clients {_days(ARCHIVE_NOTICE_BEFORE)} days from archival",
        "told by e-mail",
        f"the client is told by e-mail {_days(ARCHIVE_NOTICE_BEFORE)} days before the account is archived",
    ),
    Rule(
        "archive-accounts",
        RETENTION_ACCOUNTS,
        ("account_user",),
        "client accounts past their archival window",
        "archived",
        "a client account is archived once all its engagements have been closed for the archival window, "
        "24 months unless configured otherwise",
    ),
    Rule(
        "purge-audit",
        RETENTION_AUDIT,
        ("audit_event",),
        f"audit events older than {_days(AUDIT_KEPT) // 365} years",
        "deleted",
        f"audit events are deleted {_days(AUDIT_KEPT) // 365} years after the event",
    ),
    Rule(
        "purge-billing",
        RETENTION_BILLING,
        ("billing_invoice",),
        f"invoices {KEEP_YEARS} years past the end of their fiscal year",
        "deleted",
        "",  # the billing entries' own retention detail says it (services/privacy/entries/billing.py)
    ),
    Rule(
        "purge-outbox",
        None,
        (),
        f"development outbox e-mails older than {int(OUTBOX_KEPT.total_seconds() // 3600)} hours",
        "deleted",
        f"e-mails written to the development outbox are deleted after {int(OUTBOX_KEPT.total_seconds() // 3600)} hours",
    ),
    Rule(
        "purge-notifications",
        None,
        ("notification",),
        f"notifications read over {_days(READ_NOTIFICATIONS_KEPT)} days ago or older than a year",
        "deleted",
        f"a notification is deleted {_days(READ_NOTIFICATIONS_KEPT)} days after it was read, and any "
        f"notification {_days(NOTIFICATIONS_KEPT) // 365} year after it was made",
    ),
    Rule(
        "purge-unconfirmed-requests",
        None,
        ("privacy_request",),
        "privacy requests never confirmed by their code within a day",
        "deleted",
        "a privacy request whose sender never confirmed it with the e-mailed code is deleted after a day",
    ),
    Rule(
        "shred-closed-vaults",
        RETENTION_VAULT,
        ("vault_item",),
        "vaults of closed engagements still holding items or keys",
        "crypto-shredded",
        "",  # the vault entry's own retention detail says it (services/privacy/entries/vault.py)
    ),
)


def rules_for(table: str) -> tuple[Rule, ...]:
    return tuple(rule for rule in RULES if table in rule.tables)


def rule(key: str) -> Rule:
    for candidate in RULES:
        if candidate.key == key:
            return candidate
    raise KeyError(key)
