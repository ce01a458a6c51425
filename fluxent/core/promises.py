"""How soon Fluxent answers, in the words every place uses: the site, the portal and e-mails.

One promise said one way: a page or an e-mail builds its sentence from these, never types
its own number of days (a test reads the code and the content for it).
"""

from __future__ import annotations

# A person at Fluxent answers a message (contact form, "Scope a build", the portal, support).
REPLY_TIME = "two business days"
# A written proposal follows a scoping conversation.
PROPOSAL_TIME = "five business days"
