"""Messages: each engagement's conversation between the client organization and Fluxent.

Owns ``models/messages.py``. Who may read and post is the engagement's own rule
(``portal.engagements.get_engagement``: the organization's members, staff and admins; anyone
else gets NotFound). ``thread`` posts (with an optional reply-to and a document of the
engagement attached), lists a page of the thread with the reader's unread count, and keeps
each person's read marker; ``notify`` decides who is e-mailed about a new message
(``recipients_to_email``) and sends it.
"""
