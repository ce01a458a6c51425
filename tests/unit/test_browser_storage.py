"""The build plugin that keeps Reflex's colour-mode provider from writing localStorage."""

from __future__ import annotations

from pathlib import Path

import pytest
import reflex_base

from fluxent.browser_storage import STAND_IN, THEME_PROVIDER, without_local_storage

TEMPLATE = Path(reflex_base.__file__).parent / ".templates" / "web" / THEME_PROVIDER


def test_the_provider_gets_a_stand_in_after_its_imports_once():
    source = TEMPLATE.read_text()
    changed = without_local_storage(source)
    assert changed.count(STAND_IN) == 1
    assert changed.index(STAND_IN) > changed.rindex("\nimport ")
    assert without_local_storage(changed) == changed


def test_a_provider_that_no_longer_uses_local_storage_is_flagged():
    with pytest.raises(RuntimeError, match="review this plugin"):
        without_local_storage('import { x } from "y";\nexport const a = 1;\n')
