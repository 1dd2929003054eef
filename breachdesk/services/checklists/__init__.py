"""Playbooks run on incidents: the library, the checklists, steps and assignments."""
