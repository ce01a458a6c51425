"""E-signature: envelopes of portal documents sent for signature, in order or in parallel.

Owns envelopes, signers and their fields (``models/esign.py``); the signing flow
(e-mailed link, e-mailed code, ESIGN consent, filling one's own fields, signing or
declining); completion (fields stamped into the PDF, a completion certificate page,
a PAdES seal, the result e-mailed and filed in the engagement's documents); public
verification of a sealed PDF by its SHA-256; and reminders. Every step is audited.
"""
