"""What makes a password acceptable (NIST SP 800-63B-4): length, not composition.

At least 15 and at most 256 characters after NFKC normalization, not easy to
guess (zxcvbn: common and breached passwords, keyboard walks, repeats, dates), and
not built from the person's own name, e-mail address or company. There are no
rules about digits, capitals or symbols.
"""

from __future__ import annotations

import re
import threading
import unicodedata

from zxcvbn import zxcvbn

from fluxent.core.errors import ValidationFailed

MIN_LENGTH = 15
MAX_LENGTH = 256
# zxcvbn's matching grows faster than linearly with length and the library refuses
# more than 72 characters, so only this prefix is analysed. Guessability can only
# grow with more characters, so a prefix that passes means the whole password does.
ANALYSED_PREFIX = 72
# zxcvbn score 3 means "safely unguessable": at least 10^8 guesses.
MIN_SCORE = 3
# Name, e-mail and company words shorter than this are too common to refuse.
MIN_PERSONAL_FRAGMENT = 4
# Words anyone attacking this site would try first.
SITE_WORDS = ("fluxent", "fluxent portal", "client portal")

# zxcvbn keeps the user inputs of the call in a module-level dictionary; two
# threads checking at once would see each other's inputs.
_ZXCVBN_LOCK = threading.Lock()
_WORD_SPLIT = re.compile(r"[\W_]+")

PERSONAL_REASON = "Don't use your name, e-mail address or company name in your password."
GENERIC_WEAK_REASON = "This password is too easy to guess."
ADVICE = "Try a longer phrase of words that don't belong together."


def check_password(password: str, *, name: str = "", email: str = "", company: str = "") -> None:
    """Raise ValidationFailed (``fields={"password": reason}``) when the password is not acceptable."""
    normalized = unicodedata.normalize("NFKC", password)
    if len(normalized) < MIN_LENGTH:
        _refuse(f"Use at least {MIN_LENGTH} characters.")
    if len(normalized) > MAX_LENGTH:
        _refuse(f"Use at most {MAX_LENGTH} characters.")
    fragments = personal_fragments(name=name, email=email, company=company)
    folded = normalized.casefold()
    if any(fragment in folded for fragment in fragments):
        _refuse(PERSONAL_REASON)
    result = _estimate(normalized[:ANALYSED_PREFIX], [*fragments, *SITE_WORDS])
    if result["score"] < MIN_SCORE:
        warning = (result.get("feedback") or {}).get("warning") or GENERIC_WEAK_REASON
        _refuse(f"{warning} {ADVICE}")


def personal_fragments(*, name: str = "", email: str = "", company: str = "") -> list[str]:
    """The person's name, e-mail local part and company, whole and word by word, case-folded."""
    local_part = email.rsplit("@", 1)[0] if "@" in email else email
    fragments: set[str] = set()
    for value in (name, local_part, company):
        folded = unicodedata.normalize("NFKC", value).casefold().strip()
        for candidate in (folded, *_WORD_SPLIT.split(folded)):
            if len(candidate) >= MIN_PERSONAL_FRAGMENT:
                fragments.add(candidate)
    return sorted(fragments)


def _estimate(password: str, user_inputs: list[str]) -> dict:
    with _ZXCVBN_LOCK:
        return zxcvbn(password, user_inputs=user_inputs, max_length=ANALYSED_PREFIX)


def _refuse(reason: str) -> None:
    raise ValidationFailed(reason, fields={"password": reason})
