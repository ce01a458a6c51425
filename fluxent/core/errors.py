"""One error type per failure kind. Services raise them; each door maps them once
(HTTP status in ``api/errors.py``, UI messages in the state layer)."""

from __future__ import annotations


class DomainError(Exception):
    """Base class: ``code`` is stable and machine-readable, the message is for people."""

    code = "error"

    def __init__(self, message: str, *, fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class ValidationFailed(DomainError):
    code = "validation_failed"


class NotFound(DomainError):
    code = "not_found"


class PermissionDenied(DomainError):
    code = "permission_denied"


class SsoRequired(PermissionDenied):
    """Staff sign in through the company's identity provider only (``FLUXENT_STAFF_SSO_REQUIRED``)."""

    code = "sso_required"


class ReauthRequired(PermissionDenied):
    """The action needs a fresh step-up (password or e-mailed code) in this browser."""

    code = "reauth_required"


class ViewingReadOnly(PermissionDenied):
    """An administrator viewing the portal as a client changes nothing from that view."""

    code = "viewing_read_only"


class NotAuthenticated(DomainError):
    code = "not_authenticated"


class Conflict(DomainError):
    code = "conflict"


class TooLarge(DomainError):
    """An upload passed the size cap (the stream was stopped there)."""

    code = "payload_too_large"


class RateLimited(DomainError):
    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Busy(Exception):
    """Overload: the work was refused rather than queued (the database's write lock stayed
    taken, or too many requests are running); the same request may succeed shortly.

    Not a DomainError: nothing is wrong with the request, so the handlers that turn a
    DomainError into a message about the input leave it to the door's own answer
    (API: 503 with ``Retry-After``; pages: a "try again" note).
    """

    code = "busy"
    message = "The service is busy right now. Please try again in a moment."

    def __init__(self, *, retry_after: int) -> None:
        super().__init__(self.message)
        self.retry_after = retry_after

    @property
    def reason(self) -> str:
        """What refused the work, for the server's log: the database's own words when its
        lock stayed taken (SQLite: "database is locked"), else that too much was running."""
        cause = self.__cause__
        if cause is None:
            return "too many requests or events at once"
        return str(getattr(cause, "orig", None) or cause)
