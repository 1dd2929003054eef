"""Configuration: safe defaults, then instance/config.py, then BREACHDESK_* variables."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from flask import Flask

from breachdesk.storage import PRIVATE_FILE

#: Defaults a careful deployment can keep; every one can be overridden.
DEFAULTS: dict[str, Any] = {
    "SQLALCHEMY_DATABASE_URI": "sqlite:///breachdesk.sqlite",
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    # Which organisation this desk serves: instance/profiles/<PROFILE>.toml, else the copy
    # shipped in the package (breachdesk/profiles/).
    "PROFILE": "odl",
    "PROFILE_PATH": None,
    "PLAYBOOKS_DIR": None,
    "SESSION_COOKIE_NAME": "breachdesk_session",
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    # Off for the demo on http://127.0.0.1; set BREACHDESK_SESSION_COOKIE_SECURE=true behind TLS.
    "SESSION_COOKIE_SECURE": False,
    # Behind TLS, the number of seconds browsers must use https only (Strict-Transport-Security).
    "HSTS_SECONDS": 0,
    # Behind a reverse proxy, how many proxies to trust for the client's address and scheme
    # (X-Forwarded-For, X-Forwarded-Proto); 0 ignores those headers (see web/proxy.py).
    "PROXY_HOPS": 0,
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_DURATION": timedelta(days=7),
    "PERMANENT_SESSION_LIFETIME": timedelta(hours=8),
    # A report can take a while to write on the worst day of the year: the token lives with
    # the session rather than expiring after an hour.
    "WTF_CSRF_TIME_LIMIT": None,
    # Evidence files are bounded separately; this caps any single request.
    "MAX_CONTENT_LENGTH": 32 * 1024 * 1024,
    # Large enough that an over-long description reaches the form's own validation and gets
    # a message beside the field instead of a bare 413.
    "MAX_FORM_MEMORY_SIZE": 16 * 1024 * 1024,
    "PASSWORD_MIN_LENGTH": 12,
    "LOGIN_FREE_ATTEMPTS": 5,
    "LOGIN_MAX_LOCK_MINUTES": 60,
    # Evidence files live outside the web root, under random names (see services/evidence).
    "EVIDENCE_DIR": None,
    "EVIDENCE_MAX_BYTES": 10 * 1024 * 1024,
    "API_MAX_BODY_BYTES": 256 * 1024,
}


# The organisations' profiles ship inside the package, so an installed wheel has them too.
SHIPPED_PROFILES = Path(str(resources.files("breachdesk").joinpath("profiles")))


def load(app: Flask, test_config: dict[str, Any] | None) -> None:
    """Fill ``app.config`` in the documented order and fill in derived paths."""
    app.config.from_mapping(DEFAULTS)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env("BREACHDESK")
        # The issue-facing name of the database setting; Flask-SQLAlchemy reads the other.
        if "DATABASE_URL" in app.config:
            app.config["SQLALCHEMY_DATABASE_URI"] = app.config["DATABASE_URL"]
    else:
        app.config.update(test_config)
    # The "keep me signed in" cookie is as good as a session: never sent where that is not.
    app.config["REMEMBER_COOKIE_SECURE"] = app.config["SESSION_COOKIE_SECURE"]
    root = Path(app.root_path).parent
    if not app.config["PLAYBOOKS_DIR"]:
        app.config["PLAYBOOKS_DIR"] = str(root / "playbooks")
    if not app.config["EVIDENCE_DIR"]:
        app.config["EVIDENCE_DIR"] = str(Path(app.instance_path) / "evidence")
    if not app.config["PROFILE_PATH"]:
        app.config["PROFILE_PATH"] = str(profile_path(app, app.config["PROFILE"]))


def profile_path(app: Flask, profile_id: str) -> Path:
    """Where a named profile lives: the instance folder first, then the shipped copies."""
    in_instance = Path(app.instance_path) / "profiles" / f"{profile_id}.toml"
    if in_instance.exists():
        return in_instance
    return SHIPPED_PROFILES / f"{profile_id}.toml"


def ensure_secret_key(app: Flask) -> None:
    """Use the configured secret key, or create one in the instance folder once.

    The key is written whole under a temporary name, then linked into place: a full disk
    leaves no empty key behind, and of two processes starting at once both use the first key.
    """
    if app.config.get("SECRET_KEY"):
        return
    key_file = Path(app.instance_path) / "secret_key"
    if not key_file.exists():
        temp = key_file.with_name(f"secret_key.{os.getpid()}.part")
        try:
            # Written with owner-only permissions; the key is never printed or logged.
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
            try:
                os.write(fd, secrets.token_hex(32).encode())
                os.fsync(fd)
            finally:
                os.close(fd)
            os.link(temp, key_file)
        except FileExistsError:
            pass  # another process made it first: use theirs
        finally:
            temp.unlink(missing_ok=True)
    app.config["SECRET_KEY"] = key_file.read_text().strip()
