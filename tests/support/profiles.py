"""Serving another shipped profile than the tests' default (ODL)."""

from __future__ import annotations

from flask import Flask

from breachdesk.config import SHIPPED_PROFILES
from breachdesk.desk import load_desk


def serve_profile(app: Flask, profile_id: str) -> Flask:
    """Make ``app`` serve the shipped profile ``profile_id`` (and its playbooks)."""
    app.config["PROFILE"] = profile_id
    app.config["PROFILE_PATH"] = str(SHIPPED_PROFILES / f"{profile_id}.toml")
    app.extensions["breachdesk"] = load_desk(app)
    return app
