"""Privacy: the registry of personal data, the data export, and account erasure.

The engine:

- ``registry``: how each table with personal data is exported, erased and justified.
- ``policy``: categories of data, legal bases, retention rows; ``sections``: the
  export sections of the accounts, auth and audit areas.
- ``export``: :func:`~export.export_user_data`, its JSON Schema, :func:`~export.validate_export`,
  and :func:`~export.privacy_summary` (the categories of data held, for the portal's privacy page).
- ``erasure``: :func:`~erasure.erase_user` and its report, and :func:`~erasure.erasure_keeps`
  (what an erasure keeps and why, told before the person confirms).

The entries, per area, live in ``entries/`` (``entries.REGISTRY``, :func:`entries.default_registry`);
they import the engine's ``registry``, ``policy`` and ``sections``, never ``export`` or ``erasure``.
``self_erasure``: a person erasing their own account; ``retention_rules``: the retention table;
``retention``: its jobs, run on schedule or by command (one run at a time: ``services.lease``).
"""
