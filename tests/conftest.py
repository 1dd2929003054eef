"""Shared fixtures: the app on SQLite and on a real PostgreSQL server, clients, users."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from datetime import UTC
from datetime import datetime
from pathlib import Path

import psycopg  # noqa: F401  (imported before any test freezes the clock: its C types check datetime)
import pytest
from hypothesis import settings
from sqlalchemy import create_engine
from sqlalchemy import text

from breachdesk import create_app
from breachdesk.domain.vocabulary import Role
from breachdesk.extensions import db
from tests.support import postgres

REPO = Path(__file__).resolve().parent.parent

# Property tests explore new examples on every run on an engineer's machine (that is how
# they find new cases); in CI (CI=true) they run the same examples each time, so a red build
# means the change broke something, never that the search happened upon an old case.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI") == "true":
    settings.load_profile("ci")

#: Named instants for frozen-clock tests.
NOON = "2026-11-20T12:00:00+00:00"

BACKENDS = ("sqlite", "postgres")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[postgres.PostgresServer]:
    server = postgres.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def pg_url(pg_server) -> str:
    """A database with the schema built once; each test starts from empty tables."""
    url = pg_server.create_database("breachdesk_test")
    engine = create_engine(url)
    db.metadata.create_all(engine)
    engine.dispose()
    return url


def base_config(tmp_path: Path, database_url: str) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "PROFILE": "odl",
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 8 * 1024,
        "EVIDENCE_DIR": str(tmp_path / "evidence"),
        "OUTBOX_DIR": str(tmp_path / "outbox"),
    }


# Which databases each test module runs on. Services, migrations and concurrency run on both:
# they are where the two databases differ (locking, constraint errors, types, transactions).
# Page and API tests check what a user sees and may do; the queries under them are the
# services', already run on both, so those modules run on SQLite unless they say otherwise
# with a module-level ``BACKENDS = ("sqlite", "postgres")``: the API, reporting and the
# access rules keep both, since they turn database errors and integer ranges into answers.
WEB_BACKENDS = ("sqlite",)


def pytest_generate_tests(metafunc) -> None:
    if "backend" not in metafunc.fixturenames:
        return
    default = WEB_BACKENDS if "web" in Path(metafunc.module.__file__).parts else BACKENDS
    backends = getattr(metafunc.module, "BACKENDS", default)
    metafunc.parametrize("backend", backends, indirect=True)


@pytest.fixture
def backend(request) -> str:
    return request.param


@pytest.fixture(scope="session")
def sqlite_schema(tmp_path_factory) -> Path:
    """An empty database with the schema, built once and copied for each test (a copy takes
    a millisecond; building the schema takes a third of a second)."""
    path = tmp_path_factory.mktemp("schema") / "schema.sqlite"
    engine = create_engine(f"sqlite:///{path}")
    db.metadata.create_all(engine)
    engine.dispose()
    return path


def _sqlite_url(tmp_path: Path, schema: Path) -> str:
    database = tmp_path / "test.sqlite"
    shutil.copyfile(schema, database)
    return f"sqlite:///{database}"


@pytest.fixture
def app(backend, tmp_path, request):
    """The app with an empty schema on the test's backend (CSRF stays on)."""
    if backend == "postgres":
        url = request.getfixturevalue("pg_url")
    else:
        url = _sqlite_url(tmp_path, request.getfixturevalue("sqlite_schema"))
    app = create_app(base_config(tmp_path, url))
    if backend == "postgres":
        with app.app_context():
            _empty_postgres()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _empty_postgres() -> None:
    tables = ", ".join(f'"{table.name}"' for table in db.metadata.sorted_tables)
    db.session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    db.session.commit()


@pytest.fixture
def sqlite_app(tmp_path, sqlite_schema):
    """The app on SQLite only, for tests about behaviour no backend changes."""
    app = create_app(base_config(tmp_path, _sqlite_url(tmp_path, sqlite_schema)))
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def make_user(app):
    """Create a user: ``make_user("sam", Role.STAFF)``; the password is ``<name>-password-1``."""

    def make(username: str, *roles: Role, **kwargs):
        from breachdesk.services import accounts

        with app.app_context():
            user = accounts.create_user(
                username, f"{username}-password-1", roles or (Role.STAFF,), **kwargs
            )
            db.session.commit()
            return user.id

    return make


class Browser:
    """A test client that signs in and fills in CSRF tokens like a real form would."""

    TOKEN = re.compile(
        r'name="csrf_token" type="hidden" value="([^"]+)"|'
        r'name="csrf_token" value="([^"]+)"'
    )

    def __init__(self, app) -> None:
        self.app = app
        self.client = app.test_client()

    def get(self, url: str, **kwargs):
        return self.client.get(url, **kwargs)

    def token(self, url: str = "/auth/login") -> str:
        page = self.client.get(url).get_data(as_text=True)
        match = self.TOKEN.search(page)
        assert match, f"no CSRF token on {url}"
        return match.group(1) or match.group(2)

    def post(self, url: str, data: dict | None = None, *, form_url: str | None = None, **kw):
        """POST with the CSRF token read from ``form_url`` (default: the same URL)."""
        data = dict(data or {})
        data.setdefault("csrf_token", self.token(form_url or url))
        return self.client.post(url, data=data, **kw)

    def login(self, username: str, password: str | None = None):
        response = self.post(
            "/auth/login",
            {"username": username, "password": password or f"{username}-password-1"},
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
        return response


@pytest.fixture
def browser(app) -> Browser:
    return Browser(app)


@pytest.fixture
def login_as(app, make_user):
    """A signed-in Browser for a new user with ``roles``."""

    def sign_in(username: str, *roles: Role) -> Browser:
        make_user(username, *roles)
        b = Browser(app)
        b.login(username)
        return b

    return sign_in


def utc(text_value: str) -> datetime:
    return datetime.fromisoformat(text_value).astimezone(UTC)
