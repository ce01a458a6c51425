from fluxent.core.cookies import CSRF_COOKIE, SESSION_COOKIE, cookie_value


def test_reads_one_cookie_among_several():
    header = f"theme=dark; {SESSION_COOKIE}=abc123; {CSRF_COOKIE}=tok"
    assert cookie_value(header, SESSION_COOKIE) == "abc123"
    assert cookie_value(header, CSRF_COOKIE) == "tok"


def test_absent_or_malformed_header_reads_as_empty():
    assert cookie_value("", SESSION_COOKIE) == ""
    assert cookie_value("theme=dark", SESSION_COOKIE) == ""
    assert cookie_value('sessionid="unterminated; \x00\x01', SESSION_COOKIE) == ""


def test_a_lookalike_name_is_not_the_session_cookie():
    assert cookie_value("xsessionid=evil; sessionid_old=evil", SESSION_COOKIE) == ""
