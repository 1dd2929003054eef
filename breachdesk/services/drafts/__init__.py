"""Drafted messages: building, editing, approving, exporting and sending them."""
