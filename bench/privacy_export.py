"""Personal data export speed on SQLite, one process.

Builds a person with N audit events (half their own actions, half done to them by
someone else) among as many events about another person, then times
``export_user_data``. Target: 10,000 events exported in < 1 s.

Usage: python bench/privacy_export.py [--events N] [--database-url URL]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--database-url", default="", help="an empty database to use instead of a fresh SQLite file")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="fluxent-bench-"))
    os.environ.update(
        FLUXENT_ENV="test",
        FLUXENT_DATA_DIR=str(workdir),
        FLUXENT_DATABASE_URL=args.database_url or f"sqlite:///{workdir / 'bench.db'}",
    )
    from fluxent.cli import main as cli

    cli(["migrate"])
    from fluxent.core.db import session_scope
    from fluxent.models.accounts import OrgRole, Role
    from fluxent.services.accounts import organizations, users
    from fluxent.services.audit import trail
    from fluxent.services.auth import sessions
    from fluxent.services.privacy.export import export_user_data, validate_export

    password = "bench-password-long-enough"
    with session_scope() as session:
        subject = users.create_user(
            session, email="subject@example.com", password=password, role=Role.CLIENT, name="Subject Person"
        )
        other = users.create_user(session, email="other@example.com", password=password, role=Role.CLIENT)
        organization = organizations.get_or_create_organization(session, name="Bench Org")
        organizations.add_membership(session, user=other, organization=organization, role=OrgRole.OWNER)
        organizations.add_membership(session, user=subject, organization=organization, role=OrgRole.MEMBER)
        for _ in range(20):
            sessions.start_session(session, user=subject, ip="203.0.113.5", user_agent="Bench/1.0")
        subject_id = subject.id

    build_started = time.perf_counter()
    with session_scope() as session:
        for index in range(args.events):
            mine = index % 2 == 0
            trail.record(
                session,
                "auth.login_succeeded" if index % 10 == 0 else "bench.touched",
                actor=subject_id if mine else other.id,
                target=("user", subject_id),
                organization=organization.id,
                meta={"n": index},
                pii=trail.Personal(
                    ip="203.0.113.5" if mine else "198.51.100.9",
                    user_agent="Bench/1.0",
                    email="subject@example.com" if mine else "other@example.com",
                ),
            )
            # Noise: events about someone else, which the export must skip.
            trail.record(session, "bench.noise", actor=other.id, target=("user", other.id), meta={"n": index})
    print(f"(built {2 * args.events:,} audit events in {time.perf_counter() - build_started:.1f}s)")

    with session_scope() as session:
        subject = users.user_by_email(session, "subject@example.com")
        started = time.perf_counter()
        document = export_user_data(session, user=subject)
        elapsed = time.perf_counter() - started
        validate_started = time.perf_counter()
        validate_export(document)
        validate_elapsed = time.perf_counter() - validate_started
    events = len(document["audit_events"])
    assert events >= args.events, events
    verdict = "OK" if elapsed < 1 else "TOO SLOW"
    print(
        f"export: {events:,} audit events, {len(document['sign_ins']):,} sign-ins, "
        f"{len(document['sessions'])} sessions in {elapsed:.3f}s (target < 1 s: {verdict})"
    )
    print(f"schema validation of that document: {validate_elapsed:.3f}s")


if __name__ == "__main__":
    main()
