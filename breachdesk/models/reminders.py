"""Models for reminders (filled in by its capability)."""
