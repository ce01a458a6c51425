"""The privacy registry covers every table with personal data, and only real columns."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table
from sqlmodel import SQLModel

import fluxent.models  # noqa: F401  (every table in SQLModel.metadata)
from fluxent.services.privacy.entries import default_registry
from fluxent.services.privacy.erasure import erasure_keeps
from fluxent.services.privacy.export import SCHEMA_FILE, export_schema, privacy_summary
from fluxent.services.privacy.policy import (
    CONTACT,
    POLICY_CATEGORIES,
    POLICY_RETENTION,
    RETENTION_ACCOUNTS,
    LegalBasis,
)
from fluxent.services.privacy.registry import (
    Anonymize,
    Delete,
    NotExported,
    Registry,
    Retain,
    Section,
    coverage_problems,
    personal_looking_columns,
    retention_problems,
)
from fluxent.services.privacy.retention_rules import RULES, Rule


def _entry(**overrides):
    entry = dict(
        table="marketing_lead",
        description="Leads",
        personal=("email",),
        categories=(CONTACT,),
        basis=LegalBasis.CONSENT,
        retention=RETENTION_ACCOUNTS,
        export=NotExported("test"),
        erase=Delete(),
        owner_email=("email",),
        owner=(),
    )
    entry.update(overrides)
    return entry


def _users_table(metadata: MetaData) -> Table:
    return Table("account_user", metadata, Column("id", Integer, primary_key=True))


def test_every_table_with_personal_looking_columns_is_registered():
    assert coverage_problems(SQLModel.metadata, default_registry()) == []


def test_every_retention_rule_names_registered_tables_under_their_policy_row():
    assert retention_problems(default_registry()) == []
    policy_rows = {rule.policy for rule in RULES if rule.policy is not None}
    # Every row of the policy's table is kept by a rule.
    assert {row.data for row in POLICY_RETENTION} - {row.data for row in policy_rows} == set()


def test_a_retention_rule_on_an_unknown_table_or_another_policy_row_is_caught():
    registry = Registry()
    registry.register(**_entry())
    rules = (
        Rule("ghost", None, ("ghost_table",), "ghosts", "deleted", "ghosts go"),
        Rule("mismatch", RULES[0].policy, ("marketing_lead",), "leads", "deleted", "leads go"),
    )
    problems = retention_problems(registry, rules)
    assert len(problems) == 2
    assert "'ghost_table', which the registry does not know" in problems[0]
    assert "keeps 'Authentication tokens" in problems[1] and "registered under 'Active user accounts'" in problems[1]


def test_the_privacy_page_shows_the_retention_tables_words():
    log = next(summary for summary in privacy_summary() if summary.title == "Log and session data")
    assert any("removed 30 days after it ends" in text for text in log.retention)
    assert any("audit events are deleted 2 years after the event" in text for text in log.retention)


def test_an_unregistered_personal_table_is_caught():
    metadata = MetaData()
    _users_table(metadata)
    Table("marketing_lead", metadata, Column("id", Integer, primary_key=True), Column("contact_email", String))
    Table(
        "documents_upload",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("uploaded_by_id", Integer, ForeignKey("account_user.id")),
    )
    Table("engagement_milestone", metadata, Column("id", Integer, primary_key=True), Column("title", String))
    problems = coverage_problems(metadata, Registry())
    # A personal-looking name, and a link to a person; a milestone title is neither.
    assert problems == [
        "table 'documents_upload' has personal-looking columns ['uploaded_by_id'] but is not in the privacy registry",
        "table 'marketing_lead' has personal-looking columns ['contact_email'] but is not in the privacy registry",
    ]


def test_a_registration_naming_a_missing_column_is_caught():
    metadata = MetaData()
    Table("marketing_lead", metadata, Column("id", Integer, primary_key=True), Column("email", String))
    registry = Registry()
    registry.register(**_entry(personal=("email", "phone_number")))
    problems = coverage_problems(metadata, registry)
    assert problems == ["registration 'marketing_lead' names columns that do not exist: ['phone_number']"]


def test_a_registration_of_a_missing_table_is_caught():
    registry = Registry()
    registry.register(**_entry())
    assert coverage_problems(MetaData(), registry) == ["registered table 'marketing_lead' does not exist"]


def test_a_new_personal_column_on_a_registered_table_is_caught():
    metadata = MetaData()
    Table(
        "marketing_lead",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("email", String),
        Column("billing_address", String),
    )
    registry = Registry()
    registry.register(**_entry())
    [problem] = coverage_problems(metadata, registry)
    assert "billing_address" in problem


def test_an_exempt_table_passes_and_must_exist():
    metadata = MetaData()
    Table("account_organization", metadata, Column("id", Integer, primary_key=True), Column("name", String))
    registry = Registry()
    assert coverage_problems(metadata, registry)
    registry.exempt(table="account_organization", reason="company names")
    assert coverage_problems(metadata, registry) == []
    registry.exempt(table="gone", reason="x")
    assert coverage_problems(metadata, registry) == ["exempted table 'gone' does not exist"]


@pytest.mark.parametrize(
    ("column", "personal"),
    [
        ("email", True),
        ("billing_email", True),
        ("display_name", True),
        ("ip_address", True),
        ("user_agent", True),
        ("username", True),
        ("stripe_customer_id", True),
        ("phone", True),
        ("filename", False),
        ("hostname", False),
        ("title", False),
        ("slug", False),
        ("zipped", False),
        ("tipping", False),
        ("key_hash", False),
    ],
)
def test_personal_looking_names(column, personal):
    table = Table("t", MetaData(), Column(column, String))
    assert bool(personal_looking_columns(table)) is personal


@pytest.mark.parametrize(
    "entry",
    [
        _entry(erase=Retain("")),
        _entry(export=NotExported(" ")),
        _entry(personal=()),
        _entry(categories=()),
        _entry(owner=(), owner_email=()),
        _entry(personal=("email", "name"), erase=Anonymize({"email": None})),
    ],
)
def test_registrations_that_could_not_work_are_refused(entry):
    with pytest.raises(ValueError):
        Registry().register(**entry)


def test_a_delete_that_finds_the_rows_itself_needs_no_owner_columns():
    registration = Registry().register(**_entry(owner=(), owner_email=(), erase=Delete(apply=lambda ctx: 0)))
    assert registration.erase.apply is not None


def test_a_table_or_section_is_registered_once():
    registry = Registry()
    section = Section("leads", {"type": "array"}, lambda ctx: [])
    registry.register(**_entry(export=section))
    with pytest.raises(ValueError, match="already"):
        registry.register(**_entry())
    with pytest.raises(ValueError, match="twice"):
        registry.register(**_entry(table="other", export=section))
    with pytest.raises(ValueError, match="section name"):
        registry.register(**_entry(table="third", export=Section("generated_at", {}, lambda ctx: None)))


def test_a_standing_section_is_taken_over_by_its_registration():
    registry = Registry()
    registry.standing_section(Section("consents", {"type": "array"}, lambda ctx: []))
    registry.register(**_entry(export=Section("consents", {"type": "array", "minItems": 0}, lambda ctx: ["x"])))
    [section] = registry.sections()
    assert section.schema == {"type": "array", "minItems": 0}
    with pytest.raises(ValueError, match="twice"):
        registry.register(**_entry(table="other", export=Section("consents", {}, lambda ctx: [])))


def test_registrations_use_the_policys_own_rows():
    for registration in default_registry().registrations():
        assert registration.retention in POLICY_RETENTION
        assert set(registration.categories) <= set(POLICY_CATEGORIES)
        assert isinstance(registration.basis, LegalBasis)


def test_privacy_summary_comes_from_the_registry():
    summary = privacy_summary()
    titles = [category.title for category in summary]
    assert titles == [
        "Contact information",
        "Account credentials",
        "Billing information",
        "Project-related content",
        "Professional information for Fluxent staff only",
        "Log and session data",
    ]
    log = summary[-1]
    assert "Audit logs: 2 years from the event timestamp" in log.retention[1]
    assert "Legitimate interest (GDPR Art. 6(1)(f))" in log.legal_bases
    billing = summary[2]
    assert (
        "Billing and tax records: 7 years, to meet US federal and state tax recordkeeping rules"
        in (billing.retention[0])
    )
    assert "Legal obligation (GDPR Art. 6(1)(c))" in billing.legal_bases
    empty = privacy_summary(Registry())
    assert empty == []


def test_erasure_keeps_lists_retained_and_anonymized_records_with_reasons():
    from fluxent.services.privacy.policy import BILLING, RETENTION_BILLING

    registry = Registry()
    registry.register(**_entry(table="marketing_lead"))
    registry.register(
        **_entry(
            table="billing_invoice",
            description="Invoices addressed to you",
            categories=(BILLING,),
            basis=LegalBasis.LEGAL_OBLIGATION,
            retention=RETENTION_BILLING,
            erase=Retain("Tax law requires us to keep invoices."),
        )
    )
    registry.register(**_entry(table="audit_event", description="Audit entries", erase=Anonymize({"email": None})))
    kept = erasure_keeps(registry)
    assert [(item.description, item.how) for item in kept] == [
        ("Invoices addressed to you", "Kept as it is"),
        ("Audit entries", "Kept with your personal details removed"),
    ]
    assert kept[0].reason == "Legal obligation (GDPR Art. 6(1)(c)): Tax law requires us to keep invoices."
    assert kept[0].retention.startswith("Billing and tax records: 7 years")
    assert [item.description for item in erasure_keeps()] == [
        "Your account: username, e-mail, name, phone, company, country, password hash",
        "Audit-log entries of what you did and what was done to your account",
        "Milestones you submitted for acceptance, accepted or asked changes to, with your notes",
        "Documents you uploaded to an organization's portal",
        "Billing details of an organization whose invoices go to your e-mail, and its Stripe customer id",
        "Invoices of the organizations you pay for, with the bill-to details they were issued with",
        "Documents you were asked to sign: your name and e-mail, consent to electronic records, your signature, "
        "and when, from which IP address and browser you consented and signed",
        "Documents you sent out for signature as Fluxent staff",
        "Credential vault items you added or changed (names and kinds; the secrets are encrypted and never exported)",
        "Who stored each encrypted value of a vault item",
        "Messages you wrote in an engagement's conversation",
        "The privacy requests you (or someone acting for you) made, and how we answered them",
    ]


def test_export_schema_file_matches_the_registry():
    """Regenerate with: python -m fluxent.services.privacy"""
    assert json.loads(SCHEMA_FILE.read_text()) == export_schema()


def test_export_schema_is_closed_at_the_top():
    schema = export_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) == {
        "schema_version",
        "generated_at",
        "profile",
        "memberships",
        "staff_profile",
        "consents",
        "sessions",
        "two_step_methods",
        "passkeys",
        "sign_ins",
        "audit_events",
        "lead_notes",
        "leads",
        "newsletter",
        "engagement_assignments",
        "milestone_actions",
        "documents_uploaded",
        "billing_profiles",
        "billing_contact_of",
        "vault_items",
        "invoices",
        "payment_receipts",
        "signatures",
        "messages",
        "message_reads",
        "policy_acknowledgements",
        "policy_notices",
        "notifications",
        "email_preferences",
        "privacy_requests",
        "processing_restrictions",
        "not_exported",
    }


def test_an_area_states_what_its_tables_share_once_and_an_entry_may_override_it():
    from fluxent.services.privacy.policy import PROJECT_CONTENT

    registry = Registry()
    contact = registry.area(categories=(CONTACT,), basis=LegalBasis.CONSENT, retention=RETENTION_ACCOUNTS, owner=())
    lead = contact(
        table="marketing_lead",
        description="Leads",
        personal=("email",),
        export=NotExported("x"),
        erase=Delete(),
        owner_email=("email",),
    )
    note = contact(
        table="marketing_lead_note",
        description="Notes",
        personal=("body",),
        export=NotExported("x"),
        erase=Delete(apply=lambda ctx: 0),
        categories=(PROJECT_CONTENT,),
    )
    assert (lead.categories, lead.basis, lead.owner) == ((CONTACT,), LegalBasis.CONSENT, ())
    assert note.categories == (PROJECT_CONTENT,) and note.retention == RETENTION_ACCOUNTS
    with pytest.raises(ValueError):  # the registry's own checks still run: no table twice
        contact(
            table="marketing_lead", description="Again", personal=("email",), export=NotExported("x"), erase=Delete()
        )


def test_a_rows_section_lists_its_query_rows_under_its_keys_as_json_values(session):
    from datetime import UTC, datetime

    from sqlalchemy import select

    from fluxent.models.marketing import Lead, LeadSource
    from fluxent.services.privacy.registry import ExportContext
    from fluxent.services.privacy.sections import STRING, TIMESTAMP, rows_section

    moment = datetime(2026, 3, 5, 9, 30, tzinfo=UTC)
    session.add(Lead(name="Hana", email="hana@harbor.test", source=LeadSource.CONTACT, created_at=moment))
    session.add(Lead(name="Other", email="other@harbor.test", created_at=moment))
    session.flush()
    section = rows_section(
        "leads",
        {"name": STRING, "source": STRING, "created_at": TIMESTAMP},
        lambda ctx: select(Lead.name, Lead.source, Lead.created_at).where(Lead.email == ctx.user.email),
    )
    person = type("Person", (), {"email": "hana@harbor.test"})()
    rows = section.build(ExportContext(session=session, user=person, moment=moment))
    assert rows == [{"name": "Hana", "source": "contact", "created_at": "2026-03-05T09:30:00+00:00"}]
    assert section.schema["items"]["required"] == ["name", "source", "created_at"]
    assert section.schema["items"]["additionalProperties"] is False
