"""The application factory."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from flask import Flask

from breachdesk import cli
from breachdesk import config
from breachdesk import extensions
from breachdesk import read_only_requests
from breachdesk import web
from breachdesk.desk import load_desk
from breachdesk.services import passwords
from breachdesk.services import stored_clocks
from breachdesk.startup import StartupError
from breachdesk.startup import check_database
from breachdesk.web.proxy import ProxyHopsError
from breachdesk.web.proxy import trust_proxies


def build_app(
    test_config: Mapping[str, Any] | None = None, *, check_database_now: bool = True
) -> Flask:
    """Build breachdesk. Tests pass ``test_config``; production reads the instance folder.

    Raises StartupError when the instance folder, the secret key or the database will not do;
    the database is left unchecked (and unopened) when ``check_database_now`` is false.
    """
    # BREACHDESK_INSTANCE_PATH puts the instance folder (secret key, SQLite database, evidence,
    # scheduler lock) somewhere other than beside the code, such as a data volume.
    instance = os.environ.get("BREACHDESK_INSTANCE_PATH")
    app = Flask(
        "breachdesk",
        instance_path=os.path.abspath(instance) if instance else None,
        instance_relative_config=True,
    )
    config.load(app, dict(test_config) if test_config is not None else None)
    try:
        trust_proxies(app)
    except ProxyHopsError as exc:
        raise StartupError(str(exc)) from exc
    try:
        os.makedirs(app.instance_path, exist_ok=True)
    except OSError as exc:
        raise StartupError.writing(exc, "the instance folder") from exc
    try:
        config.ensure_secret_key(app)
    except OSError as exc:
        raise StartupError.writing(exc, "the secret key") from exc
    app.extensions["breachdesk"] = load_desk(app)

    passwords.configure(app.config.get("ARGON2_TIME_COST"), app.config.get("ARGON2_MEMORY_COST"))
    extensions.init_app(app)
    read_only_requests.init_app(app)
    if check_database_now:
        check_database(app)
    stored_clocks.install()
    web.register(app)
    cli.register(app)
    return app
