"""Each person's e-mail delivery per category: immediately (the default), daily digest, or off."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlmodel import Session

from fluxent.core.errors import ValidationFailed
from fluxent.models.accounts import User
from fluxent.models.notifications import NotificationPreference
from fluxent.services.notifications.kinds import BY_KEY, CATEGORIES, Delivery


@dataclass(frozen=True)
class PreferenceRow:
    category: str
    label: str
    description: str
    delivery: str
    locked: bool


def delivery_for(session: Session, user_id: int, category: str) -> Delivery:
    if BY_KEY[category].locked:
        return Delivery.IMMEDIATELY
    chosen = session.get(NotificationPreference, (user_id, category))
    return Delivery(chosen.delivery) if chosen is not None else Delivery.IMMEDIATELY


def preferences_of(session: Session, *, user: User) -> list[PreferenceRow]:
    chosen = dict(
        session.execute(
            select(NotificationPreference.category, NotificationPreference.delivery).where(
                NotificationPreference.user_id == user.id
            )
        ).all()
    )
    return [
        PreferenceRow(
            category.key,
            category.label,
            category.description,
            Delivery.IMMEDIATELY if category.locked else chosen.get(category.key, Delivery.IMMEDIATELY),
            category.locked,
        )
        for category in CATEGORIES
    ]


def save_preferences(session: Session, *, user: User, choices: dict[str, str]) -> list[PreferenceRow]:
    """Set the delivery of the categories named in ``choices``; all or nothing."""
    fields: dict[str, str] = {}
    for key, value in choices.items():
        category = BY_KEY.get(key)
        if category is None:
            fields[key] = "No such category."
        elif category.locked:
            fields[key] = "Security and legal e-mail cannot be changed."
        elif value not in {delivery.value for delivery in Delivery}:
            fields[key] = "Choose immediately, daily digest or off."
    if fields:
        raise ValidationFailed("Some e-mail preferences could not be saved.", fields=fields)
    for key, value in choices.items():
        session.execute(
            delete(NotificationPreference).where(
                NotificationPreference.user_id == user.id, NotificationPreference.category == key
            )
        )
        if value != Delivery.IMMEDIATELY:
            session.add(NotificationPreference(user_id=user.id, category=key, delivery=value))
    session.flush()
    return preferences_of(session, user=user)
