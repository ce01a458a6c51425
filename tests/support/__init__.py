"""Helpers shared by the test folders: builders, fake clients, constants.

Modules that define fixtures are registered once in ``tests/conftest.py``
(``pytest_plugins``); test files import from here only what they call.
"""
