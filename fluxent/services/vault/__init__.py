"""Credential vault: the secrets clients hand Fluxent's engineers for a build, per engagement.

Owns the vault tables (``models/vault.py``): envelope encryption (``crypto``, ``keys``:
one AES-256-GCM data key per engagement, wrapped by a key-encryption key from
``FLUXENT_VAULT_KEYS``), items with their encrypted version history (``items``), who may
do what (``access``), the access log clients see (``activity``), and offboarding
(``offboarding``: the report to the owner, then crypto-shredding, at engagement close
or on the owner's request). Importing the package registers the engagement-close hook.
"""

from fluxent.services.vault import offboarding as _offboarding  # noqa: F401  (registers the close hook)
