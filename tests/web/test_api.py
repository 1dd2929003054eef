"""The JSON API: tokens, findings posted by tools, clear errors that save nothing, OpenAPI."""

from __future__ import annotations

import json
import re
from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest
from sqlalchemy import func
from sqlalchemy import select

from breachdesk.domain.vocabulary import Role
from breachdesk.extensions import db
from breachdesk.models import ApiToken
from breachdesk.models import AuditEvent
from breachdesk.models import FactProposal
from breachdesk.models import Finding
from breachdesk.models import User
from breachdesk.services import api_tokens
from breachdesk.web.api import openapi
from tests.support.reminders import add_incident
from tests.web.test_access import assign
from tests.web.test_reporting import report
from tests.web.test_statement_counts import counted

# JSON errors and ids come back from the database: both databases.
BACKENDS = ("sqlite", "postgres")

pytestmark = pytest.mark.freeze_time("2026-11-20 12:00:00")

REF = "BD-2026-0001"
FINDINGS = f"/api/incidents/{REF}/findings"
FINDING = {
    "summary": "Outbound transfer of 4.2 GB to a Tor exit node at 03:12.",
    "systems_affected": "Lab server",
    "exfiltration": "confirmed",
    "encrypted": False,
    "window_start": "2026-11-20T03:00:00+00:00",
    "window_end": "2026-11-20T03:30:00Z",
    "indicators": ["185.220.101.4", "README-LOCKBIT.txt"],
    "proposals": {"recipient": "malicious", "availability.backup_available": True},
}


def token_for(app, username: str) -> str:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        return api_tokens.create_token(user, "SIEM").secret


@pytest.fixture
def setup(app, login_as, make_user):
    """Sam reports BD-2026-0001; Ian (IT) is assigned with a token; Ivy (IT) is not."""
    report(login_as("sam", Role.STAFF))
    make_user("dana", Role.DPO)
    make_user("ian", Role.IT)
    make_user("ivy", Role.IT)
    assign(app, REF, "ian")
    return {"ian": token_for(app, "ian"), "ivy": token_for(app, "ivy")}


def call(app, method: str, url: str, token: str | None = None, body=None, **kwargs):
    headers = kwargs.pop("headers", {})
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    if body is not None and not isinstance(body, str | bytes):
        body = json.dumps(body)
    client = app.test_client()
    return client.open(
        url, method=method, headers=headers, data=body, content_type="application/json", **kwargs
    )


def nothing_written(app) -> None:
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Finding)) == 0
        assert db.session.scalar(select(func.count()).select_from(FactProposal)) == 0
        kinds = db.session.scalars(
            select(AuditEvent.kind).where(AuditEvent.subject == "incident")
        ).all()
    assert kinds == ["reported"]


def test_a_finding_posted_with_a_token_is_saved_and_shows_on_the_incident_page(
    app, setup, login_as
):
    response = call(app, "POST", FINDINGS, setup["ian"], FINDING)

    assert response.status_code == 201, response.get_json()
    saved = response.get_json()
    assert saved["source"] == "api"
    assert saved["indicators"] == "185.220.101.4\nREADME-LOCKBIT.txt"
    assert saved["window_end"] == "2026-11-20T03:30:00+00:00"
    # "encrypted": false implies protection "none", which the facts already say: not proposed.
    assert {p["field"]: p["value"] for p in saved["proposals"]} == {
        "exfiltration": "confirmed",
        "recipient": "malicious",
        "availability.backup_available": True,
    }
    dpo = login_as("dora", Role.DPO)
    page = dpo.get(f"/incidents/{REF}").get_data(as_text=True)
    assert "Outbound transfer of 4.2 GB" in page
    assert "sent through the API" in page
    listed = call(app, "GET", FINDINGS, setup["ian"]).get_json()
    assert [f["id"] for f in listed["findings"]] == [saved["id"]]


def test_the_incident_list_holds_only_the_callers_assigned_incidents(app, setup):
    mine = call(app, "GET", "/api/incidents", setup["ian"])
    theirs = call(app, "GET", "/api/incidents", setup["ivy"])

    assert mine.status_code == 200
    assert [i["reference"] for i in mine.get_json()["incidents"]] == [REF]
    assert set(mine.get_json()["incidents"][0]) == {
        "reference",
        "status",
        "assets",
        "aware_at",
        "ico_deadline",
    }
    assert theirs.get_json() == {"incidents": [], "next": None}


def add_open_incidents(app, hours_ago: list[int]) -> list[str]:
    """Open incidents that became known ``hours_ago`` before now; their references."""
    with app.app_context():
        now = datetime.now(UTC)
        return [add_incident(now - timedelta(hours=h)).reference for h in hours_ago]


def pages_of(app, token: str, url: str) -> list:
    """Every page, following next from ``url`` as a tool would."""
    pages = [call(app, "GET", url, token)]
    while pages[-1].get_json()["next"]:
        pages.append(call(app, "GET", pages[-1].get_json()["next"], token))
    return pages


def test_the_dpo_reads_every_open_incident_a_page_at_a_time_most_urgent_first(app, setup):
    older = add_open_incidents(app, [70, 10, 40, 5])  # REF was reported just now
    dana = token_for(app, "dana")

    pages = pages_of(app, dana, "/api/incidents?limit=2")

    assert [p.status_code for p in pages] == [200, 200, 200]
    seen = [[i["reference"] for i in p.get_json()["incidents"]] for p in pages]
    assert seen == [[older[0], older[2]], [older[1], older[3]], [REF]]
    assert pages[0].headers["Link"] == f'<{pages[0].get_json()["next"]}>; rel="next"'
    assert "Link" not in pages[-1].headers
    everything = call(app, "GET", "/api/incidents", dana).get_json()
    assert [i["reference"] for i in everything["incidents"]] == sum(seen, [])
    assert everything["next"] is None


def test_it_pages_through_its_own_assigned_incidents_only(app, setup):
    others = add_open_incidents(app, [30, 20])
    assign(app, others[1], "ian")

    pages = pages_of(app, setup["ian"], "/api/incidents?limit=1")

    assert [p.get_json()["incidents"][0]["reference"] for p in pages] == [others[1], REF]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("limit=0", "limit must be a whole number from 1 to 200."),
        ("limit=201", "limit must be a whole number from 1 to 200."),
        ("limit=ten", "limit must be a whole number from 1 to 200."),
        ("limit=-5", "limit must be a whole number from 1 to 200."),
        ("limit=" + "9" * 5000, "limit must be a whole number from 1 to 200."),
        ("after=yesterday", "after must come from the next link of a page of this API"),
        ("after=1.2", "after must come from the next link of a page of this API"),
    ],
)
def test_a_bad_limit_or_cursor_is_refused_with_what_is_wrong(app, setup, query, message):
    response = call(app, "GET", f"/api/incidents?{query}", setup["ian"])

    assert response.status_code == 400
    assert message in response.get_json()["error"]


def test_a_page_of_the_list_costs_the_same_statements_with_few_or_many_incidents(app, setup):
    dana = token_for(app, "dana")

    def statements() -> int:
        with app.app_context():
            engine = db.engine
        with counted(engine) as seen:
            assert call(app, "GET", "/api/incidents?limit=3", dana).status_code == 200
        return len(seen)

    statements()  # the token's first use is recorded; later ones, at the same frozen time, not
    few = statements()
    add_open_incidents(app, list(range(1, 30)))

    assert statements() == few


MALFORMED = [
    {},
    {"Authorization": "Basic aWFuOnB3"},
    {"Authorization": "Bearer"},
    {"Authorization": "Bearer    "},
]


def test_no_token_or_a_malformed_header_is_401_with_a_bearer_challenge(app, setup):
    for headers in MALFORMED:
        response = call(app, "POST", FINDINGS, body=FINDING, headers=headers)
        assert response.status_code == 401, headers
        assert response.headers["WWW-Authenticate"].startswith('Bearer realm="breachdesk"')
        assert "Authorization header" in response.get_json()["error"]
    nothing_written(app)


def test_an_unknown_token_is_401(app, setup):
    for token in ["bd_not-a-real-token", "something-else", "bd_" + "x" * 300]:
        response = call(app, "POST", FINDINGS, token, FINDING)
        assert response.status_code == 401, token
        assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]
    nothing_written(app)


def test_a_revoked_token_is_401_and_nothing_is_written(app, setup, login_as):
    ian = login_as("ian2", Role.IT)
    assign(app, REF, "ian2")
    page = ian.post("/api/tokens", {"name": "Reliant SIEM"})
    assert page.status_code == 201
    secret = re.search(r'<code class="secret">(bd_[^<]+)</code>', page.get_data(as_text=True))[1]
    assert call(app, "GET", "/api/incidents", secret).status_code == 200
    with app.app_context():
        token = db.session.scalar(select(ApiToken).where(ApiToken.name == "Reliant SIEM"))
        token_id = token.id
        assert token.last_used_at is not None
        assert token.token_hash != secret
        assert secret not in token.prefix + token.token_hash

    revoked = ian.post(f"/api/tokens/{token_id}/revoke", {}, form_url="/api/tokens")
    assert revoked.status_code == 302

    response = call(app, "POST", FINDINGS, secret, FINDING)
    assert response.status_code == 401
    assert "revoked" in response.get_json()["error"]
    nothing_written(app)


def test_the_secret_is_shown_once_and_stored_only_hashed(app, setup, login_as):
    ian = login_as("ian2", Role.IT)
    created = ian.post("/api/tokens", {"name": "Script"}).get_data(as_text=True)
    secret = re.search(r'<code class="secret">(bd_[^<]+)</code>', created)[1]
    later = ian.get("/api/tokens").get_data(as_text=True)
    assert secret not in later
    assert secret[:10] in later  # the public prefix, to tell tokens apart
    with app.app_context():
        token = db.session.scalar(select(ApiToken).where(ApiToken.name == "Script"))
        assert token.token_hash == api_tokens.hash_secret(secret)


def test_only_the_owner_can_revoke_a_token(app, setup, login_as):
    with app.app_context():
        ivy_token = db.session.scalar(select(ApiToken.id).join(User).where(User.username == "ivy"))
    other = login_as("otto", Role.IT)
    response = other.post(f"/api/tokens/{ivy_token}/revoke", {}, form_url="/api/tokens")
    assert response.status_code == 404
    assert call(app, "GET", "/api/incidents", setup["ivy"]).status_code == 200


def test_staff_cannot_reach_the_token_page(app, setup, login_as):
    assert login_as("kim", Role.STAFF).get("/api/tokens").status_code == 403
    assert app.test_client().get("/api/tokens").status_code == 302


BAD_JSON = [
    ('{"summary": "x",', "not valid JSON"),
    ("", "The body is empty"),
    ("[1, 2]", "must be a JSON object"),
    ('{"summary": NaN}', "NaN is not allowed"),
    (b"\xff\xfe", "not UTF-8"),
]

INVALID = [
    ({"colour": "red"}, "colour"),
    ({"summary": ""}, "summary"),
    ({"summary": 42}, "summary"),
    ({"exfiltration": "lots"}, "exfiltration"),
    ({"encrypted": "yes"}, "encrypted"),
    ({"window_start": "yesterday"}, "window_start"),
    ({"window_start": "2026-11-20T03:00:00"}, "window_start"),
    ({"window_end": "2026-11-20T02:00:00+00:00"}, "window_end"),
    ({"indicators": [1, 2]}, "indicators"),
    ({"proposals": {"subjects_count": -3}}, "proposals.subjects_count"),
    ({"proposals": {"colour": "red"}}, "proposals.colour"),
    ({"proposals": {"became_aware_at": "2026-11-19T09:00:00+00:00"}}, "became_aware_at"),
    ({"proposals": {"availability.outage_hours": "long"}}, "availability.outage_hours"),
    ({"proposals": ["cause"]}, "proposals"),
]


def test_bad_json_is_400_naming_the_problem(app, setup):
    for body, words in BAD_JSON:
        response = call(app, "POST", FINDINGS, setup["ian"], body)
        assert response.status_code == 400, body
        assert words in response.get_json()["error"], body
    nothing_written(app)


def test_an_unknown_field_or_invalid_value_is_400_naming_the_field(app, setup):
    for changes, field in INVALID:
        response = call(app, "POST", FINDINGS, setup["ian"], {**FINDING, **changes})
        assert response.status_code == 400, changes
        assert field in response.get_json()["error"], (changes, response.get_json())
    nothing_written(app)


def test_an_unknown_and_an_unassigned_incident_get_the_same_404(app, setup):
    unknown = call(app, "POST", "/api/incidents/BD-2099-0001/findings", setup["ivy"], FINDING)
    unassigned = call(app, "POST", FINDINGS, setup["ivy"], FINDING)
    listing = call(app, "GET", FINDINGS, setup["ivy"])

    assert unknown.status_code == unassigned.status_code == listing.status_code == 404
    assert (
        unknown.get_json()["error"].replace("BD-2099-0001", REF) == unassigned.get_json()["error"]
    )
    nothing_written(app)


def test_a_body_too_large_is_413(app, setup):
    app.config["API_MAX_BODY_BYTES"] = 2000
    big = {**FINDING, "indicators": "x" * 5000}
    response = call(app, "POST", FINDINGS, setup["ian"], big)
    assert response.status_code == 413
    assert "too large" in response.get_json()["error"]
    nothing_written(app)


def test_a_session_cookie_alone_does_not_open_the_api(app, setup, login_as):
    dana = login_as("dora", Role.DPO)
    response = dana.client.post(FINDINGS, json=FINDING)
    assert response.status_code == 401
    nothing_written(app)


def test_a_token_of_a_user_who_lost_the_it_role_is_revoked(app, setup):
    from breachdesk.services import accounts

    with app.app_context():
        ivy = db.session.scalar(select(User).where(User.username == "ivy"))
        accounts.set_roles(ivy, [Role.STAFF])
    response = call(app, "GET", "/api/incidents", setup["ivy"])
    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


def test_the_openapi_document_is_json_and_documents_every_api_route(app):
    response = app.test_client().get("/api/openapi.json")
    assert response.status_code == 200
    doc = json.loads(response.get_data(as_text=True))
    assert doc["openapi"].startswith("3.1")
    assert doc["components"]["securitySchemes"]["bearer"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "bd_...",
    }
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/"):
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule.removeprefix("/api"))
        assert path in doc["paths"], f"{rule.rule} is not documented"
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert method.lower() in doc["paths"][path], f"{method} {rule.rule} undocumented"
    _assert_refs_resolve(doc, doc)


def _assert_refs_resolve(node, doc) -> None:
    if isinstance(node, dict):
        if "$ref" in node:
            target = doc
            for part in node["$ref"].removeprefix("#/").split("/"):
                target = target[part]
        for value in node.values():
            _assert_refs_resolve(value, doc)
    elif isinstance(node, list):
        for value in node:
            _assert_refs_resolve(value, doc)


def test_the_openapi_document_names_every_field_the_api_accepts():
    schema = openapi.document()["components"]["schemas"]["FindingInput"]
    from breachdesk.web.api.payload import FINDING_FIELDS

    assert set(schema["properties"]) == set(FINDING_FIELDS)


def test_the_api_docs_page_is_readable_without_signing_in(app):
    page = app.test_client().get("/api/docs")
    assert page.status_code == 200
    assert "/api/incidents/{reference}/findings" in page.get_data(as_text=True)


def test_the_token_page_keeps_its_csrf_check(app, setup, login_as):
    ian = login_as("ian2", Role.IT)
    response = ian.client.post("/api/tokens", data={"name": "No token"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(ApiToken).where(ApiToken.name == "No token")) is None
