"""The audit trail: who did what, tamper-evident; nothing else here."""
