"""The reply promise is the same everywhere: the site, the portal and e-mails say how soon
Fluxent answers in the words of ``core.promises``, and no page, e-mail or article names its
own number of days."""

from __future__ import annotations

import re
from pathlib import Path

import fluxent
from fluxent.components import marketing
from fluxent.components.portal_layout import _help_card
from fluxent.core.promises import PROPOSAL_TIME, REPLY_TIME
from fluxent.services.marketing import emails

PACKAGE = Path(fluxent.__file__).parent
ANSWERING = re.compile(r"answer|repl|reads|respond", re.IGNORECASE)


def test_no_code_names_its_own_number_of_days():
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in sorted(PACKAGE.rglob("*.py"))
        if path != PACKAGE / "core" / "promises.py" and re.search(r"business days?\b", path.read_text())
    ]
    assert offenders == []


def test_every_article_and_legal_page_promises_the_same_reply_time():
    sentences = [
        (path.relative_to(PACKAGE), sentence)
        for path in sorted((PACKAGE / "content").rglob("*.md"))
        for sentence in re.split(r"(?<=[.!?])\s+", " ".join(path.read_text().split()))
        if "business day" in sentence
    ]
    replies = [(path, sentence) for path, sentence in sentences if ANSWERING.search(sentence)]
    assert len(replies) >= 2  # the fulfillment policy and the scoping article
    assert [(path, sentence) for path, sentence in replies if REPLY_TIME not in sentence] == []
    proposals = [(path, s) for path, s in sentences if "proposal" in s and not ANSWERING.search(s)]
    assert proposals and all(PROPOSAL_TIME in s for _, s in proposals)


def test_the_site_the_portal_and_the_lead_email_say_it_alike():
    promise = f"within {REPLY_TIME}"
    assert promise in " ".join(emails.lead_next_steps("support@fluxent.tech"))
    assert promise in str(_help_card().render())
    assert REPLY_TIME in str(marketing.cta_band().render())
