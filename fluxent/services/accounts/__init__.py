"""Accounts: users, profiles, staff, organizations and their memberships, invitations, authorization checks."""
