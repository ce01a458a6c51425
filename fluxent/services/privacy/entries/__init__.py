"""Every table that holds personal data, registered by its area's module here.

A new area adds a module beside these (``register_<area>(registry)``, usually through
``registry.area``) and its call below: personal columns, export section (or why it is not
exported), erasure (delete, anonymize, or retain with a reason), legal basis and the
policy's retention row. ``tests/unit/test_privacy_registry.py`` fails while a table with
personal-looking columns is missing. Order matters where one erasure would take another
table's rows along (the registry erases in this order).
"""

from __future__ import annotations

from fluxent.services.privacy.entries.accounts import register_accounts
from fluxent.services.privacy.entries.audit import register_audit
from fluxent.services.privacy.entries.auth import register_auth
from fluxent.services.privacy.entries.billing import register_billing
from fluxent.services.privacy.entries.esign import register_esign
from fluxent.services.privacy.entries.marketing import register_marketing
from fluxent.services.privacy.entries.messages import register_messages
from fluxent.services.privacy.entries.notifications import register_notifications
from fluxent.services.privacy.entries.policies import register_policies
from fluxent.services.privacy.entries.portal import register_portal
from fluxent.services.privacy.entries.privacy import register_privacy
from fluxent.services.privacy.entries.vault import register_vault
from fluxent.services.privacy.registry import Registry

REGISTRY = Registry()
for register_area in (
    register_accounts,
    register_auth,
    register_audit,
    register_marketing,
    register_portal,
    register_billing,
    register_esign,
    register_vault,
    register_messages,
    register_policies,
    register_notifications,
    register_privacy,
):
    register_area(REGISTRY)


def default_registry() -> Registry:
    """The application's registry: every entry of every area."""
    return REGISTRY
