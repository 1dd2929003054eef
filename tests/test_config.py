"""Configuration: defaults, then the instance folder, then BREACHDESK_* variables."""

from __future__ import annotations

from breachdesk import create_app
from breachdesk.config import DEFAULTS


def test_environment_variables_override_the_defaults(monkeypatch, tmp_path):
    monkeypatch.setenv("BREACHDESK_DATABASE_URL", f"sqlite:///{tmp_path / 'env.sqlite'}")
    monkeypatch.setenv("BREACHDESK_SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("BREACHDESK_PROFILE", "sunray")

    app = create_app()

    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'env.sqlite'}"
    assert app.config["SECRET_KEY"] == "from-the-environment"
    assert app.extensions["breachdesk"].profile.name == "Sunray Vision"


def test_sqlite_in_the_instance_folder_is_the_default():
    assert DEFAULTS["SQLALCHEMY_DATABASE_URI"] == "sqlite:///breachdesk.sqlite"


def test_sessions_are_protected_by_default():
    assert DEFAULTS["SESSION_COOKIE_HTTPONLY"] is True
    assert DEFAULTS["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert DEFAULTS["REMEMBER_COOKIE_HTTPONLY"] is True


def test_a_secret_key_is_generated_once_and_kept_private(tmp_path, monkeypatch):
    from flask import Flask

    from breachdesk.config import ensure_secret_key

    app = Flask("probe", instance_path=str(tmp_path))
    ensure_secret_key(app)
    first = app.config["SECRET_KEY"]
    again = Flask("probe", instance_path=str(tmp_path))
    ensure_secret_key(again)
    assert again.config["SECRET_KEY"] == first
    assert len(first) == 64
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_the_shipped_profiles_are_package_data_and_an_instance_copy_wins(tmp_path):
    import tomllib
    from pathlib import Path

    from flask import Flask

    import breachdesk
    from breachdesk.config import profile_path

    app = Flask("breachdesk", instance_path=str(tmp_path))
    shipped = profile_path(app, "sunray")
    assert shipped.parent == Path(breachdesk.__file__).parent / "profiles"
    assert (
        "profiles/*.toml"
        in (
            tomllib.loads((Path(breachdesk.__file__).parents[1] / "pyproject.toml").read_text())[
                "tool"
            ]["setuptools"]["package-data"]["breachdesk"]
        )
    )
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "sunray.toml").write_text(shipped.read_text())
    assert profile_path(app, "sunray") == tmp_path / "profiles" / "sunray.toml"
