"""The application factory."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from flask import Flask

from breachdesk import cli
from breachdesk import config
from breachdesk import extensions
from breachdesk import web
from breachdesk.desk import load_desk
from breachdesk.services import passwords
from breachdesk.services import stored_clocks


def build_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build breachdesk. Tests pass ``test_config``; production reads the instance folder."""
    app = Flask("breachdesk", instance_relative_config=True)
    config.load(app, dict(test_config) if test_config is not None else None)
    os.makedirs(app.instance_path, exist_ok=True)
    config.ensure_secret_key(app)
    app.extensions["breachdesk"] = load_desk(app)

    passwords.configure(app.config.get("ARGON2_TIME_COST"), app.config.get("ARGON2_MEMORY_COST"))
    extensions.init_app(app)
    stored_clocks.install()
    web.register(app)
    cli.register(app)
    return app
