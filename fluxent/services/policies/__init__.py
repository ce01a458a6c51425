"""Policies: the versions of the legal documents (``versions``), announcing an upcoming one by
e-mail to everyone it concerns (``announcements``, ``emails``), and the portal notice each
signed-in person acknowledges (``acknowledgements``)."""
