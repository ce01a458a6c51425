"""Site content: Markdown files with front matter, checked when the app builds."""

from __future__ import annotations

import pytest

from fluxent.services.marketing import content
from fluxent.services.marketing.content import ContentError


def test_every_collection_has_its_documents_with_the_keys_pages_need():
    assert len(content.collection(content.CASE_STUDIES)) == 3
    assert len(content.collection(content.RESOURCES)) == 3
    assert {d.slug for d in content.collection(content.LEGAL)} == {"privacy", "terms", "cookies", "fulfillment"}
    for name, keys in content.REQUIRED.items():
        for document in content.collection(name):
            assert all(document.meta[key] for key in keys), document.slug


def test_the_privacy_policy_carries_every_section_of_the_published_policy():
    policy = content.document(content.LEGAL, "privacy")
    headings = [text for _, text in policy.contents]
    assert headings == [
        "1. Who We Are",
        "2. Information We Collect",
        "3. How We Use Your Information",
        "4. How We Share Your Information",
        "5. Data Retention",
        "6. Your Rights",
        "7. Additional Rights for California and Virginia Residents",
        "8. Cookies, Local Storage, and Do Not Track",
        "9. International Data Transfers",
        "10. Security",
        "11. Children's Privacy",
        "12. Changes to This Policy",
        "13. Contact Us",
    ]
    assert (policy.meta["version"], policy.meta["effective"], policy.meta["updated"]) == (
        "2",
        "2026-12-21",
        "2026-12-07",
    )
    for phrase in ("GDPR", "Lawful basis (Article 6)", "24 months of inactivity", "7 years", "Right to appeal (VCDPA)"):
        assert phrase in policy.body_html
    assert policy.body_html.count("<tr>") == 7, "the retention table: a header and six rows"


def test_the_cookie_policy_names_exactly_what_the_browser_keeps():
    html = content.document(content.LEGAL, "cookies").body_html
    from tests.support.browser_storage import ALLOWED_COOKIES, ALLOWED_LOCAL_STORAGE, ALLOWED_SESSION_STORAGE

    for name in (*ALLOWED_COOKIES, *ALLOWED_LOCAL_STORAGE, *ALLOWED_SESSION_STORAGE):
        assert f"<code>{name}</code>" in html, name


def test_raw_html_in_a_file_is_shown_as_text_not_markup():
    _, body = content.parse("---\ntitle: T\n---\n<script>alert(1)</script>\n", name="x.md", required=("title",))
    html, _ = content.render(body)
    assert "<script>" not in html and "&lt;script&gt;" in html


@pytest.mark.parametrize(
    "text, problem",
    [
        ("title: T\n", "must start with"),
        ("---\ntitle: T\n", "not closed"),
        ("---\nno colon here\n---\nbody", "is not 'key: value'"),
        ("---\ntitle: T\n---\nbody", "missing summary"),
    ],
)
def test_a_broken_file_is_refused_with_its_name_and_the_problem(text, problem):
    with pytest.raises(ContentError, match=problem) as refused:
        content.parse(text, name="broken.md", required=("title", "summary"))
    assert "broken.md" in str(refused.value)


def test_case_studies_may_carry_a_client_quote_that_says_who_said_it():
    quoted = {
        d.slug: d.meta.get("quote_author") for d in content.collection(content.CASE_STUDIES) if d.meta.get("quote")
    }
    assert quoted == {
        "freight-brokerage-quote-desk": "Head of brokerage operations",
        "dental-group-patient-intake": "Practice operations director",
    }
    with pytest.raises(ContentError, match="quote_author"):
        content.parse("---\ntitle: T\nquote: Great work.\n---\nBody\n", name="x.md", required=("title",))


def test_the_newest_newsletter_issue_comes_first():
    issues = content.collection(content.NEWSLETTER)
    assert [issue.meta["date"] for issue in issues] == sorted((issue.meta["date"] for issue in issues), reverse=True)
    assert issues[0].slug == "2026-11-delivery-brief" and "<ol>" in issues[0].body_html
