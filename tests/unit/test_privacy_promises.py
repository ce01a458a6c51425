"""The promise registry: every promise quotes the policy, names code that exists and tests that exist."""

from __future__ import annotations

import ast
import dataclasses
import importlib
import re
from functools import cache

from fluxent.core.settings import PROJECT_ROOT
from fluxent.services.marketing.content import CONTENT_DIR, LEGAL
from fluxent.services.privacy.promises import PROMISES, Promise


def policy_text() -> str:
    """The privacy policy as a reader sees it: Markdown's emphasis and code marks left out."""
    return re.sub(r"\*\*|`", "", (CONTENT_DIR / LEGAL / "privacy.md").read_text())


def imports(path: str) -> bool:
    """Whether ``path`` names a module, or an attribute of one (``package.module.function``)."""
    parts = path.split(".")
    for split in range(len(parts), 0, -1):
        try:
            found = importlib.import_module(".".join(parts[:split]))
        except ModuleNotFoundError:
            continue
        for name in parts[split:]:
            if not hasattr(found, name):
                return False
            found = getattr(found, name)
        return True
    return False


@cache
def node_ids_in(relative: str) -> frozenset[str]:
    """The node ids (without parameters) of the test functions of one test file, read with ``ast``."""
    path = PROJECT_ROOT / relative
    if not path.is_file():
        return frozenset()
    found = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test"):
            found.add(f"{relative}::{node.name}")
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            found.update(
                f"{relative}::{node.name}::{item.name}"
                for item in node.body
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) and item.name.startswith("test")
            )
    return frozenset(found)


def problems(promise: Promise, policy: str) -> list[str]:
    found = []
    if promise.sentence not in policy:
        found.append(f"{promise.id}: the sentence is not in the privacy policy")
    if not promise.kept_by:
        found.append(f"{promise.id}: no code keeps it")
    found += [f"{promise.id}: {path} does not import" for path in promise.kept_by if not imports(path)]
    if not promise.proven_by:
        found.append(f"{promise.id}: no test proves it")
    for node_id in promise.proven_by:
        relative = node_id.split("::", 1)[0]
        if node_id not in node_ids_in(relative):
            found.append(f"{promise.id}: {node_id} is not a test")
    return found


def test_every_promise_quotes_the_policy_and_names_code_and_tests_that_exist():
    policy = policy_text()
    assert [problem for promise in PROMISES for problem in problems(promise, policy)] == []


def test_promise_ids_are_unique_and_fit_an_address_fragment():
    ids = [promise.id for promise in PROMISES]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z][a-z0-9-]*", promise_id) for promise_id in ids)


def test_the_registry_covers_the_policys_testable_promises():
    assert {promise.id for promise in PROMISES} >= {
        "cookies",
        "local-storage",
        "password-hashes",
        "token-hashes",
        "token-lifetimes",
        "consent-box",
        "access",
        "correction",
        "erasure",
        "retention-leads",
        "retention-accounts",
        "audit-append-only",
        "audit-two-years",
        "vault-encryption",
        "no-trackers",
        "pii-scrubbing",
        "cards-to-stripe",
        "rights-requests",
    }


def test_a_promise_without_tests_or_with_a_missing_test_or_a_misquote_is_caught():
    good = PROMISES[0]
    policy = policy_text()
    assert problems(good, policy) == []
    cases = {
        "no test proves it": dataclasses.replace(good, proven_by=()),
        "is not a test": dataclasses.replace(good, proven_by=("tests/unit/test_privacy_promises.py::test_nothing",)),
        "tests/nowhere.py::test_x is not a test": dataclasses.replace(good, proven_by=("tests/nowhere.py::test_x",)),
        "not in the privacy policy": dataclasses.replace(good, sentence="We sell your data."),
        "does not import": dataclasses.replace(good, kept_by=("fluxent.core.cookies.NO_SUCH_THING",)),
        "no code keeps it": dataclasses.replace(good, kept_by=()),
    }
    for expected, broken in cases.items():
        assert any(expected in problem for problem in problems(broken, policy)), expected


def test_node_ids_are_read_from_the_files_and_paths_are_imported():
    relative = "tests/unit/test_privacy_promises.py"
    found = node_ids_in(relative)
    assert f"{relative}::test_every_promise_quotes_the_policy_and_names_code_and_tests_that_exist" in found
    assert f"{relative}::policy_text" not in found
    assert "tests/unit/test_retention.py::test_the_archival_window_counts_calendar_months" in node_ids_in(
        "tests/unit/test_retention.py"
    )
    assert imports("fluxent.services.privacy.promises") and imports("fluxent.core.cookies.ALLOWED_COOKIES")
    assert not imports("fluxent.no_such_module.thing")
