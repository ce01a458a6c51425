"""The promises of the published privacy policy that code keeps and tests prove.

Each promise quotes the policy's sentence it comes from (``content/legal/privacy.md``,
word for word once Markdown's emphasis and code marks are left out), names the code
that keeps it (dotted paths of modules and their functions, classes or constants) and
the tests that prove it (pytest node ids; a parametrised test is named without its
parameters). ``tests/unit/test_privacy_promises.py`` fails when a sentence is not in
the policy, a path does not import, or a test does not exist. The public page
``/legal/privacy/commitments`` lists them with the last results of the test suite.
"""

from __future__ import annotations

from dataclasses import dataclass

# Sentences the policy states once and several promises rest on.
_CREDENTIALS = (
    "Account credentials — username, password (stored only as a bcrypt hash), one-time authentication codes "
    "(stored only as one-way hashes)."
)
_SAFEGUARDS = (
    "We apply administrative, technical, and physical safeguards designed to protect personal information, "
    "including encryption in transit and at rest, one-way hashing of credentials and authentication tokens, "
    "append-only audit logging, and PII scrubbing in error reporting."
)
_TOKENS = "Expire within minutes; stored only as one-way hashes"


@dataclass(frozen=True)
class Promise:
    id: str
    title: str
    sentence: str
    kept_by: tuple[str, ...]
    proven_by: tuple[str, ...]


PROMISES: tuple[Promise, ...] = (
    Promise(
        "cookies",
        "Only two cookies: csrftoken and sessionid",
        "Strictly-necessary cookies — csrftoken and sessionid, set by our backend to operate the Service.",
        (
            "fluxent.core.cookies.ALLOWED_COOKIES",
            "fluxent.api.identity.set_session_cookie",
            "fluxent.api.csrf.issue_csrf_cookie",
        ),
        (
            "tests/api/test_sign_in_routes.py::test_the_session_cookie_is_httponly_lax_and_site_wide",
            "tests/api/test_auth_csrf.py::test_the_csrf_route_sets_a_readable_cookie_once",
            "tests/state/test_csrf_and_outbox_states.py::test_the_csrf_cookie_is_the_one_the_policy_names_with_safe_attributes",
            "tests/unit/test_content.py::test_the_cookie_policy_names_exactly_what_the_browser_keeps",
            "tests/e2e/test_sign_in.py::test_password_sign_in_shows_the_portal_and_sign_out_ends_it",
        ),
    ),
    Promise(
        "local-storage",
        "One localStorage key: view_as_role",
        "We use a small set of strictly-necessary cookies (csrftoken for CSRF protection and sessionid for "
        'authenticated sessions) and one localStorage key (view_as_role) that admin UI uses to remember a "view as '
        'client" toggle locally.',
        ("fluxent.state.view_as.STORAGE_KEY", "fluxent.browser_storage.NoThemeStorage"),
        (
            "tests/unit/test_sign_in_plumbing.py::test_the_theme_provider_keeps_nothing_in_local_storage",
            "tests/unit/test_sign_in_plumbing.py::test_an_unknown_use_of_local_storage_stops_the_build",
            "tests/e2e/test_account_pages.py::test_a_client_who_sets_view_as_role_gains_nothing",
        ),
    ),
    Promise(
        "password-hashes",
        "Passwords are kept only as bcrypt hashes",
        _CREDENTIALS,
        ("fluxent.core.passwords.hash_password", "fluxent.core.passwords.verify_password"),
        (
            "tests/unit/test_auth_password_policy.py::test_a_long_unicode_password_round_trips_at_full_cost",
            "tests/unit/test_auth_password_policy.py::test_a_300_byte_password_is_not_truncated",
        ),
    ),
    Promise(
        "token-hashes",
        "Codes, links and reset tokens are kept only as one-way hashes",
        _SAFEGUARDS,
        (
            "fluxent.core.tokens.token_hash",
            "fluxent.services.auth.one_time.issue_code",
            "fluxent.services.auth.one_time.issue_link",
        ),
        (
            "tests/unit/test_auth_flows.py::test_raw_tokens_are_never_stored",
            "tests/unit/test_marketing_newsletter.py::test_sign_up_sends_a_link_and_stores_only_its_hash",
        ),
    ),
    Promise(
        "token-lifetimes",
        "Sign-in codes and links expire within minutes",
        _TOKENS,
        ("fluxent.services.auth.one_time.TIME_TO_LIVE", "fluxent.services.auth.one_time.purge_spent"),
        (
            "tests/unit/test_auth_one_time.py::test_a_code_expires_after_ten_minutes",
            "tests/unit/test_auth_one_time.py::test_a_magic_link_expires_after_fifteen_minutes",
            "tests/unit/test_auth_flows.py::test_a_reset_link_expires_after_fifteen_minutes",
            "tests/unit/test_retention.py::test_used_or_expired_one_time_codes_go_with_a_pending_new_address",
        ),
    ),
    Promise(
        "consent-box",
        "The contact form's consent box is never pre-ticked",
        'Where we collect information through our public contact form, you must actively check an "I agree" box '
        "before submission — we do not use pre-ticked boxes.",
        ("fluxent.components.public_forms.consent_checkbox", "fluxent.services.marketing.leads.submit"),
        (
            "tests/unit/test_page_components.py::test_the_consent_box_is_never_ticked_for_the_visitor",
            "tests/unit/test_marketing_leads.py::test_without_consent_nothing_is_stored",
            "tests/api/test_marketing_routes.py::test_a_lead_without_consent_gets_field_errors_and_stores_nothing",
            "tests/e2e/test_marketing_site.py::test_contact_form_refuses_without_consent_then_succeeds",
        ),
    ),
    Promise(
        "access",
        "You can download everything we hold about you",
        "Right of access (Art. 15) — request a copy of the personal data we hold.",
        ("fluxent.services.privacy.export.export_user_data", "fluxent.api.account.export"),
        (
            "tests/unit/test_privacy_export.py::test_export_holds_everything_about_the_person",
            "tests/unit/test_privacy_export.py::test_export_leaks_no_secret_and_nobody_else",
            "tests/api/test_account_privacy_routes.py::test_the_export_holds_no_secret_and_nothing_of_anyone_else",
        ),
    ),
    Promise(
        "portability",
        "The download is machine-readable JSON with a published schema",
        "Right to portability (Art. 20) — receive your data in machine-readable JSON.",
        ("fluxent.services.privacy.export.export_schema", "fluxent.services.privacy.export.stream_export"),
        (
            "tests/unit/test_privacy_export.py::test_export_validates_against_the_schema",
            "tests/unit/test_privacy_export.py::test_the_streamed_export_is_the_same_document",
            "tests/api/test_account_privacy_routes.py::test_the_export_validates_against_the_served_schema",
        ),
    ),
    Promise(
        "correction",
        "You can correct your details yourself",
        "Right to rectification (Art. 16) — update incorrect data via the profile page or PATCH /api/v1/auth/me/.",
        ("fluxent.services.accounts.profile.update_profile", "fluxent.api.account.update_me"),
        (
            "tests/api/test_account_routes.py::test_patch_rectifies_own_fields_and_audits_names_only",
            "tests/api/test_account_routes.py::test_bad_values_are_422_and_change_nothing",
        ),
    ),
    Promise(
        "erasure",
        "Deleting your account scrubs you everywhere; audit entries keep no personal fields",
        "We scrub personal identifiers and cascade-delete your dependent records; audit log entries are retained "
        "with PII fields zeroed (Art. 17(3)(b/e) — legal compliance + claims-defense basis).",
        (
            "fluxent.services.privacy.erasure.erase_user",
            "fluxent.services.privacy.self_erasure.erase_self",
            "fluxent.api.account.erase_me",
        ),
        (
            "tests/unit/test_privacy_erasure.py::test_erasure_removes_the_person_from_every_table",
            "tests/unit/test_privacy_erasure.py::test_audit_rows_stay_with_personal_part_nulled_and_chain_verifies",
            "tests/api/test_account_privacy_routes.py::test_erasure_scrubs_signs_out_everywhere_and_keeps_the_chain",
            "tests/e2e/test_account_pages.py::test_account_deletion_end_to_end",
        ),
    ),
    Promise(
        "rights-requests",
        "Requests by e-mail are answered for the person only",
        "To exercise a right, email support@fluxent.tech from the email address on file.",
        ("fluxent.services.privacy.export.check_may_act_for",),
        (
            "tests/unit/test_privacy_export.py::test_only_the_person_or_an_admin_may_export",
            "tests/unit/test_privacy_erasure.py::test_only_the_person_or_an_admin_may_erase",
        ),
    ),
    Promise(
        "retention-leads",
        "Leads are archived after 24 idle months or once their engagement closes",
        "While the lead is active; archived after the related engagement closes or after 24 months of inactivity, "
        "whichever comes first",
        ("fluxent.services.marketing.leads.archive_due", "fluxent.services.privacy.retention_rules.RULES"),
        ("tests/unit/test_retention.py::test_leads_are_archived_after_24_idle_months_or_once_their_engagement_closed",),
    ),
    Promise(
        "retention-accounts",
        "Accounts are archived once the archival window after the last engagement is over",
        "For the duration of the engagement plus a defined archival window",
        ("fluxent.services.accounts.archival.archive_accounts", "fluxent.services.accounts.archival.send_notices"),
        (
            "tests/unit/test_retention.py::test_clients_are_told_30_days_before_their_account_is_archived_24_months_after_the_last_closing",
            "tests/unit/test_retention.py::test_reopened_work_stops_the_clock_and_a_new_closing_sends_a_new_notice",
            "tests/unit/test_retention.py::test_the_archival_window_counts_calendar_months",
        ),
    ),
    Promise(
        "retention-billing",
        "Billing records go 7 years after their fiscal year",
        "7 years, to meet US federal and state tax recordkeeping rules",
        ("fluxent.services.billing.retention.purge_expired",),
        ("tests/unit/test_billing_privacy.py::test_retention_deletes_receipts_with_their_invoice",),
    ),
    Promise(
        "audit-append-only",
        "The audit log is append-only",
        _SAFEGUARDS,
        ("fluxent.services.audit.trail.record", "fluxent.services.audit.trail.verify"),
        (
            "tests/unit/test_audit.py::test_chain_verifies_and_is_gapless",
            "tests/unit/test_audit.py::test_database_refuses_raw_edits",
            "tests/unit/test_audit.py::test_edit_with_triggers_dropped_is_reported_with_its_sequence_number",
        ),
    ),
    Promise(
        "audit-two-years",
        "Audit events go 2 years after the event",
        "2 years from the event timestamp",
        ("fluxent.services.audit.trail.purge_older_than", "fluxent.services.privacy.retention_rules.AUDIT_KEPT"),
        (
            "tests/unit/test_retention.py::test_audit_events_go_after_2_years_in_batches_and_the_chain_still_verifies",
            "tests/unit/test_audit.py::test_retention_purge_writes_checkpoint_and_chain_still_verifies",
        ),
    ),
    Promise(
        "vault-encryption",
        "Vault contents are encrypted at rest, and deleted at engagement close",
        "For the engagement; deleted on user request or at engagement close",
        (
            "fluxent.core.vault_crypto.seal",
            "fluxent.services.vault.keys.data_key",
            "fluxent.services.vault.offboarding.shred_closed",
        ),
        (
            "tests/unit/test_vault_crypto.py::test_a_ciphertext_moved_to_another_item_or_organization_never_decrypts",
            "tests/unit/test_vault.py::test_a_new_value_is_a_new_version_and_the_old_one_stays_encrypted",
            "tests/unit/test_vault.py::test_the_retention_job_shreds_a_closed_engagement_left_with_a_vault",
        ),
    ),
    Promise(
        "files-encrypted-at-rest",
        "Stored files are encrypted at rest",
        "including encryption in transit and at rest",
        (
            "fluxent.core.storage.encryption.encrypt",
            "fluxent.core.storage.encryption.decrypt",
        ),
        (
            "tests/unit/test_file_encryption.py::test_local_files_are_encrypted_on_disk_with_one_key_per_organization",
            "tests/unit/test_file_encryption.py::test_a_changed_file_raises_and_never_returns_what_was_changed",
            "tests/api/test_encrypted_downloads.py::test_an_uploaded_document_is_encrypted_on_disk_and_downloads_whole",
        ),
    ),
    Promise(
        "no-trackers",
        "No third-party analytics, pixels or trackers",
        "We do not run third-party analytics SDKs (no Google Analytics, PostHog, Mixpanel, Segment, or similar), "
        "advertising pixels, behavioral tracking, fingerprinting, or session-replay.",
        ("fluxent.api.security_headers.content_security_policy",),
        (
            "tests/api/test_security_headers.py::test_html_csp_lists_exactly_its_inline_scripts",
            "tests/api/test_security_headers.py::test_connect_src_allows_the_websocket_origins",
            "tests/e2e/test_marketing_site.py::test_public_pages_pass_axe_and_are_screenshotted",
        ),
    ),
    Promise(
        "pii-scrubbing",
        "Personal data and secrets are scrubbed from error reports",
        "Personally identifiable information is scrubbed from event payloads before transmission.",
        ("fluxent.core.log_redaction.RedactSecrets", "fluxent.core.log_redaction.redact"),
        (
            "tests/unit/test_log_redaction.py::test_an_event_repr_with_handshake_headers_is_redacted",
            "tests/unit/test_log_redaction.py::test_urls_and_routine_messages_lose_the_token",
            "tests/unit/test_log_redaction.py::test_the_filter_rewrites_records_of_descendant_loggers",
        ),
    ),
    Promise(
        "cards-to-stripe",
        "Card numbers go to Stripe only",
        "Payment-card numbers are entered directly into Stripe and never touch our servers.",
        (
            "fluxent.services.billing.payments.start_checkout",
            "fluxent.services.billing.stripe_gateway.create_checkout_session",
        ),
        (
            "tests/api/test_billing_stripe.py::test_pay_creates_one_customer_with_an_idempotency_key_and_reuses_an_open_session",
            "tests/e2e/test_billing_in_browser.py::test_accept_draft_issue_pay_and_see_it_paid",
        ),
    ),
)
