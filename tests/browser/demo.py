"""The demo desk for browser tests: its users and incidents, as `breachdesk demo` loads them."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from breachdesk import create_app
from breachdesk.extensions import db
from breachdesk.services.demo import load_demo
from tests.conftest import base_config

#: The demo's logins, as `breachdesk demo` prints them.
LOGINS = {
    "dpo": "dpo-demo-password",
    "deputy": "deputy-demo-password",
    "sam": "staff-demo-password",
    "reliant": "it-demo-password",
}


def demo_app(tmp_path: Path, profile: str = "odl") -> Flask:
    """The app on a file SQLite database holding the demo of ``profile``."""
    config = base_config(tmp_path, f"sqlite:///{tmp_path / f'demo-{profile}.sqlite'}")
    app = create_app({**config, "PROFILE": profile})
    with app.app_context():
        db.create_all()
        load_demo(app.extensions["breachdesk"].profile)
    return app
