"""Privacy registrations for the credential vault (imported from ``privacy.entries``).

The export lists the vault items a person added or changed, by name, kind and time:
metadata only, never a value (values are the client's secrets, and only a re-authenticated
reveal opens them). Erasing the person removes their name from the items and versions;
the items themselves belong to the client's engagement and go at its close or on an
owner's request (``services.vault.offboarding``).
"""

from __future__ import annotations

from sqlalchemy import or_, select, update

from fluxent.models.engagements import Engagement
from fluxent.models.vault import VaultItem
from fluxent.services.privacy.policy import PROJECT_CONTENT, RETENTION_VAULT, LegalBasis
from fluxent.services.privacy.registry import Anonymize, ErasureContext, NotExported, Registry
from fluxent.services.privacy.sections import STRING, TIMESTAMP, rows_section

VAULT_ITEMS = rows_section(
    "vault_items",
    {"engagement": STRING, "item": STRING, "kind": STRING, "added_at": TIMESTAMP, "changed_at": TIMESTAMP},
    lambda ctx: (
        select(Engagement.title, VaultItem.title, VaultItem.kind, VaultItem.created_at, VaultItem.updated_at)
        .join(Engagement, Engagement.id == VaultItem.engagement_id)
        .where(or_(VaultItem.created_by_id == ctx.user.id, VaultItem.updated_by_id == ctx.user.id))
        .order_by(VaultItem.id)
    ),
)


def _unlink_items(ctx: ErasureContext) -> int:
    """Null only the columns that name the person (another person may have made the other change)."""
    changed = 0
    for column in (VaultItem.created_by_id, VaultItem.updated_by_id):
        result = ctx.session.execute(update(VaultItem).where(column == ctx.user_id).values({column.key: None}))
        changed += result.rowcount or 0
    return changed


def register_vault(registry: Registry) -> None:
    register = registry.area(
        categories=(PROJECT_CONTENT,),
        basis=LegalBasis.CONTRACT,
        retention=RETENTION_VAULT,
        retention_detail="deleted, with every earlier value, when the engagement closes or an owner deletes the vault",
    )
    register(
        table="vault_item",
        description="Credential vault items you added or changed (names and kinds; the secrets are encrypted "
        "and never exported)",
        personal=("created_by_id", "updated_by_id"),
        export=VAULT_ITEMS,
        erase=Anonymize({"created_by_id": None, "updated_by_id": None}, apply=_unlink_items),
        owner=("created_by_id", "updated_by_id"),
    )
    register(
        table="vault_item_version",
        description="Who stored each encrypted value of a vault item",
        personal=("created_by_id",),
        export=NotExported("the vault_items section lists the items you added or changed; values are never exported"),
        erase=Anonymize({"created_by_id": None}),
        owner=("created_by_id",),
    )
