"""The documents page's uploader: where a file goes unless the person picks, who uploaded
each listed file, a refused file's message beside the uploader and its progress bar reset."""

from __future__ import annotations

import pytest

from fluxent.core.db import session_scope
from fluxent.services.auth import sessions
from fluxent.state.portal import DocumentsState, Target, _destination
from tests.support.portal import build_world
from tests.support.state import cookie_for, tab

TARGETS = [
    Target("org:1", "Acme Widgets (general)"),
    Target("eng:5", "Acme Widgets: Phase 1"),
    Target("org:2", "Northwind Robotics (general)"),
    Target("eng:7", "Northwind Robotics: Dispatch"),
]


@pytest.mark.parametrize(
    ("current", "viewing", "chosen", "expected"),
    [
        ("org:1", "eng:7", None, "eng:7"),  # the engagement being viewed
        ("", "eng:", 2, "org:2"),  # the organization being viewed, not the first alphabetically
        ("eng:5", "eng:", 2, "eng:5"),  # the person's own pick stays
        ("", "eng:99", None, ""),  # a stranger's engagement is not offered; several organizations: the person picks
        ("org:3", "eng:", None, ""),  # a pick no longer offered is dropped
    ],
)
def test_the_destination_defaults_to_what_is_being_viewed(current, viewing, chosen, expected):
    assert _destination(TARGETS, current, viewing=viewing, chosen=chosen) == expected


def test_with_one_organization_it_is_the_destination():
    assert _destination(TARGETS[2:], "", viewing="eng:", chosen=None) == "org:2"
    assert _destination([], "org:2", viewing="eng:", chosen=None) == ""


@pytest.fixture
def member(database, data_dir):
    with session_scope() as db:
        world = build_world(db)
        _, raw = sessions.start_session(db, user=world.member_a)
    return world, tab(DocumentsState, cookie=cookie_for(raw))


def test_the_list_names_who_uploaded_each_file_and_a_new_visit_starts_clean(member):
    world, state = member
    state.upload_error, state.progress = "This file type is not accepted.", 40
    state.load()
    assert state.target == f"org:{world.org_a}"  # Mark belongs to one organization
    assert (state.upload_error, state.progress) == ("", 0)
    (row,) = state.rows
    assert row.by == "Sam Staff (Fluxent)" and row.updated


def test_choosing_another_destination_clears_the_refusal(member):
    _, state = member
    state.load()
    state.upload_error = "The file is empty."
    state.set_target(state.targets[-1].value)
    assert state.upload_error == "" and state.target == state.targets[-1].value


def test_progress_arriving_after_a_refusal_leaves_the_bar_reset(member):
    _, state = member
    state.uploading = True
    state.upload_progress({"progress": 0.4})
    assert state.progress == 40
    state.uploading, state.progress, state.upload_error = False, 0, "The file is empty."
    state.upload_progress({"progress": 1.0})
    assert state.progress == 0
