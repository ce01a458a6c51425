"""The notification centre: what concerns a person, in the portal's bell and by e-mail.

Owns ``models/notifications.py``. Areas call ``centre.notify`` (or ``notify_each``) where an
event happens, inside the same transaction; the person's e-mail choice per category
(``preferences``) decides whether that event's e-mail goes now, waits for the daily
``digest``, or not at all. ``reminders`` runs every scheduled reminder once, in one
process at a time.
"""

from fluxent.services.notifications.centre import notify, notify_each
from fluxent.services.notifications.kinds import Kind

__all__ = ["Kind", "notify", "notify_each"]
