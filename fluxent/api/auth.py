"""Signing in and out over HTTP: CSRF cookie, password, e-mail code, magic link, password reset.

Each route takes JSON or a native form post (``api/answers.py``); the rules live
in ``services/auth/sign_in.py``. Answers never tell whether an e-mail address has an
account: the request routes answer 202 either way.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Request, Response
from pydantic import Field

from fluxent import routes
from fluxent.api.answers import (
    INVALID_CODE,
    INVALID_CREDENTIALS,
    INVALID_INPUT,
    LINK_INVALID,
    Submission,
    Submitted,
    answer,
    handle,
    json_or_form,
    site_url,
    token_page,
)
from fluxent.api.csrf import issue_csrf_cookie
from fluxent.api.identity import DB, Client, ClientInfo, clear_session_cookie, set_session_cookie
from fluxent.api.inputs import RequestBody
from fluxent.api.routing import APIRouter, api_path
from fluxent.api.serializers import user_view
from fluxent.core.cookies import SESSION_COOKIE
from fluxent.services.auth import landing, sessions, sign_in
from fluxent.services.auth.sign_in import FirstStep, SecondStepDue, SignIn

router = APIRouter(tags=["auth"])
NO_STORE = {"Cache-Control": "no-store"}


class NoFields(RequestBody):
    pass


class LoginIn(RequestBody):
    login: str = Field(min_length=1, max_length=320, description="Username or e-mail address")
    password: str = Field(min_length=1, max_length=1024)
    next: str = Field(default="", description="Form posts: the page to go to afterwards (a path on this site)")


class EmailIn(RequestBody):
    email: str = Field(min_length=1, max_length=320)
    next: str = ""


class CodeIn(RequestBody):
    email: str = Field(min_length=1, max_length=320)
    code: str = Field(min_length=1, max_length=32)
    next: str = ""


class TokenIn(RequestBody):
    token: str = Field(min_length=1, max_length=256)
    next: str = ""


class ResetConfirmIn(RequestBody):
    token: str = Field(min_length=1, max_length=256)
    password: str = Field(min_length=1, max_length=1024)


@router.get(api_path(routes.API_CSRF))
def csrf(request: Request, response: Response) -> dict[str, str]:
    """The CSRF token (also set as the ``csrftoken`` cookie when missing)."""
    response.headers.update(NO_STORE)
    return {"csrftoken": issue_csrf_cookie(request, response)}


@router.post(api_path(routes.API_LOGIN), openapi_extra=json_or_form(LoginIn))
def login(sent: Submitted, db: DB, client: ClientInfo) -> Response:
    """Sign in with a username or e-mail and a password. A new ``sessionid`` every time."""

    def work(data: LoginIn) -> Response:
        passed = sign_in.login(db, login=data.login, password=data.password, ip=client.ip, user_agent=client.user_agent)
        return _after_first_step(sent, db, passed)

    return handle(sent, db, LoginIn, work, back=_back_to(routes.LOGIN, sent), refused=INVALID_CREDENTIALS)


@router.post(api_path(routes.API_LOGOUT), openapi_extra=json_or_form(NoFields))
def logout(request: Request, sent: Submitted, db: DB) -> Response:
    """End this browser's session on the server and clear its cookie (204, or 303 to the sign-in page)."""

    def work(_: NoFields) -> Response:
        found = sessions.resolve(db, request.cookies.get(SESSION_COOKIE))
        if found is not None:
            sign_in.logout(db, auth_session=found[0])
        response = answer(sent, to=site_url(routes.LOGIN, notice="signed_out"))
        clear_session_cookie(response)
        return response

    return handle(sent, db, NoFields, work, back=_back_to(routes.LOGIN, sent), refused=INVALID_INPUT)


@router.post(api_path(routes.API_OTP_REQUEST), openapi_extra=json_or_form(EmailIn), status_code=202)
def otp_request(sent: Submitted, db: DB, client: ClientInfo) -> Response:
    """E-mail a six-digit sign-in code. The same answer whether or not the address has an account."""
    to = site_url(routes.LOGIN_VERIFY, sent="1", next=next_of(sent))
    return _mail(sent, db, client, sign_in.request_email_code, to=to, form_page=routes.LOGIN)


@router.post(api_path(routes.API_OTP_VERIFY), openapi_extra=json_or_form(CodeIn))
def otp_verify(sent: Submitted, db: DB, client: ClientInfo) -> Response:
    """Sign in with the e-mailed code (five wrong codes use it up)."""

    def work(data: CodeIn) -> Response:
        passed = sign_in.verify_email_code(
            db, email=data.email, code=data.code, ip=client.ip, user_agent=client.user_agent
        )
        return _after_first_step(sent, db, passed)

    return handle(sent, db, CodeIn, work, back=_back_to(routes.LOGIN_VERIFY, sent), refused=INVALID_CODE)


@router.post(api_path(routes.API_MAGIC_LINK_REQUEST), openapi_extra=json_or_form(EmailIn), status_code=202)
def magic_link_request(sent: Submitted, db: DB, client: ClientInfo) -> Response:
    """E-mail a sign-in link. The same answer whether or not the address has an account."""
    to = site_url(routes.LOGIN, notice="link_sent")
    return _mail(sent, db, client, sign_in.request_magic_link, to=to, form_page=routes.LOGIN)


@router.post(api_path(routes.API_MAGIC_LINK_CONSUME), openapi_extra=json_or_form(TokenIn))
def magic_link_consume(sent: Submitted, db: DB, client: ClientInfo) -> Response:
    """Sign in with a magic link's token. POST only: a mail scanner following the link uses nothing up."""

    def work(data: TokenIn) -> Response:
        passed = sign_in.consume_magic_link(db, token=data.token, ip=client.ip, user_agent=client.user_agent)
        return _after_first_step(sent, db, passed)

    return handle(sent, db, TokenIn, work, back=_back_to(routes.LOGIN, sent), refused=LINK_INVALID)


@router.post(api_path(routes.API_PASSWORD_RESET_REQUEST), openapi_extra=json_or_form(EmailIn), status_code=202)
def password_reset_request(sent: Submitted, db: DB, client: ClientInfo) -> Response:
    """E-mail a password-reset link. The same answer whether or not the address has an account."""
    to = site_url(routes.LOGIN, notice="reset_sent")
    return _mail(sent, db, client, sign_in.request_password_reset, to=to, form_page=routes.FORGOT_PASSWORD)


@router.post(api_path(routes.API_PASSWORD_RESET_CONFIRM), openapi_extra=json_or_form(ResetConfirmIn))
def password_reset_confirm(sent: Submitted, db: DB, client: ClientInfo) -> Response:
    """Set a new password from a reset link; every session of the person ends, this browser's too."""

    def work(data: ResetConfirmIn) -> Response:
        sign_in.confirm_password_reset(
            db, token=data.token, new_password=data.password, ip=client.ip, user_agent=client.user_agent
        )
        response = answer(sent, {"status": "password_reset"}, to=site_url(routes.LOGIN, notice="password_reset"))
        clear_session_cookie(response)
        return response

    def back(code: str) -> str:
        return token_page(routes.RESET_PASSWORD, sent.text("token"), routes.FORGOT_PASSWORD, error=code)

    return handle(sent, db, ResetConfirmIn, work, back=back, refused=LINK_INVALID)


# Shared by the sign-in routes (and invitation acceptance) ------------------------------


def signed_in_answer(sent: Submission, db: DB, signed_in: SignIn) -> Response:
    """The person's details (JSON) or a 303 to the form's ``next`` or their landing, with the new session's cookie."""
    _, raw, user = signed_in
    to = site_url(landing.destination(user, sent.fields.get("next")))
    response = answer(sent, {"user": user_view(db, user)}, to=to)
    response.headers.update(NO_STORE)
    set_session_cookie(response, raw)
    return response


def _after_first_step(sent: Submission, db: DB, passed: FirstStep) -> Response:
    if isinstance(passed, SecondStepDue):
        return second_step_answer(sent, passed)
    return signed_in_answer(sent, db, passed)


def second_step_answer(sent: Submission, due: SecondStepDue) -> Response:
    """No session yet: the login ticket (JSON), or a 303 to the page that asks for the second step."""
    to = token_page(routes.LOGIN_TWO_STEP, due.ticket, routes.LOGIN, next=next_of(sent))
    response = answer(sent, {"second_step": {"ticket": due.ticket, "enrol": due.enrol}}, to=to)
    response.headers.update(NO_STORE)
    return response


def _mail(
    sent: Submission, db: DB, client: Client, request: Callable[..., None], *, to: str, form_page: str
) -> Response:
    """Run one e-mail request (``sign_in.request_*``) and answer "sent" (JSON 202, or 303 to ``to``);
    a refusal goes back to ``form_page``."""

    def work(data: EmailIn) -> Response:
        request(db, email=data.email, ip=client.ip, user_agent=client.user_agent)
        return answer(sent, {"status": "sent"}, status=202, to=to)

    return handle(sent, db, EmailIn, work, back=_back_to(form_page, sent), refused=INVALID_INPUT)


def next_of(sent: Submission) -> str | None:
    """The form's ``next`` when it is a safe path, to carry through a redirect."""
    return landing.safe_next(sent.fields.get("next")) or None


def _back_to(page: str, sent: Submission) -> Callable[[str], str]:
    def back(code: str) -> str:
        return site_url(page, error=code, next=next_of(sent))

    return back
