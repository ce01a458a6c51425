from sqlmodel import select

from fluxent.models.accounts import Role, User
from fluxent.services.accounts import users


def test_create_user_stores_lowercased_email(session):
    user = users.create_user(session, email="Ada@Example.COM", password="a-long-enough-passphrase", role=Role.CLIENT)
    session.commit()
    assert session.exec(select(User).where(User.email == "ada@example.com")).one().id == user.id
