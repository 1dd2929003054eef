"""Reminders: planning them from the clocks, the outbox and sending by SMTP."""
