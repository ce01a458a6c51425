"""Signing in: the sign-in page, e-mailed codes and links, password resets, invitations."""
