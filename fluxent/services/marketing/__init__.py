"""Marketing: leads and their pipeline, the newsletter, consent, spam checks, site content and the team page."""
