"""Models for drafts (filled in by its capability)."""
