"""The OpenAPI 3.1 document describing the API, built from the same vocabulary it checks."""

from __future__ import annotations

from typing import Any

from breachdesk.domain.vocabulary import Exfiltration
from breachdesk.services.findings import PROPOSABLE
from breachdesk.web.api.payload import DEFAULT_LIMIT
from breachdesk.web.api.payload import INSTANT_EXAMPLE
from breachdesk.web.api.payload import MOST_PER_PAGE

JSON = "application/json"
ERROR_REF = {"$ref": "#/components/schemas/Error"}
INSTANT = {"type": ["string", "null"], "format": "date-time", "examples": [INSTANT_EXAMPLE]}
TRI_STATE = {"type": ["boolean", "null"], "description": "true, false, or null for not known"}
REFERENCE = {
    "name": "reference",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "examples": ["BD-2026-0001"]},
}


def _errors(*codes: int) -> dict[str, Any]:
    words = {
        400: "Bad JSON, an unknown field, or an invalid value; the message names it.",
        401: "No token, a malformed Authorization header, or an unknown or revoked token.",
        403: "The token's owner no longer holds the IT or DPO role.",
        404: "No such incident assigned to the caller (the two are not told apart).",
        413: "The body is larger than the API accepts.",
    }
    return {
        str(code): {"description": words[code], "content": {JSON: {"schema": ERROR_REF}}}
        for code in codes
    }


def _ok(description: str, schema: dict[str, Any], status: str = "200") -> dict[str, Any]:
    return {status: {"description": description, "content": {JSON: {"schema": schema}}}}


def _page(summary: str, *, form: bool = False) -> dict[str, Any]:
    """A signed-in HTML page that lives under /api (the token page), described for completeness."""
    operation: dict[str, Any] = {
        "tags": ["Pages"],
        "summary": summary,
        "security": [{"session": []}],
        "responses": {
            "200": {"description": "An HTML page.", "content": {"text/html": {}}},
            "302": {"description": "Not signed in: sent to the sign-in page."},
            "403": {"description": "Signed in without the IT or DPO role."},
        },
    }
    if form:
        operation["requestBody"] = {
            "content": {"application/x-www-form-urlencoded": {"schema": {"type": "object"}}}
        }
        operation["responses"]["400"] = {"description": "The form was incomplete or expired."}
    return operation


def _schemas() -> dict[str, Any]:
    finding_input = {
        "type": "object",
        "additionalProperties": False,
        "required": ["summary"],
        "properties": {
            "summary": {"type": "string", "minLength": 1, "description": "Markdown allowed."},
            "systems_affected": {"type": "string"},
            "exfiltration": {"enum": [e.value for e in Exfiltration], "default": "unknown"},
            "encrypted": TRI_STATE,
            "key_safe": TRI_STATE,
            "backups_state": {"type": "string"},
            "window_start": INSTANT,
            "window_end": {**INSTANT, "description": "Not before window_start."},
            "indicators": {
                "oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
                "description": "IP addresses, hashes, file names.",
            },
            "proposals": {"$ref": "#/components/schemas/Proposals"},
        },
    }
    proposals = {
        "type": "object",
        "description": "Proposed changes to the assessment facts (spec/assessment.md), "
        "each checked like the facts themselves; the DPO accepts or rejects each.",
        "propertyNames": {"enum": list(PROPOSABLE)},
        "examples": [{"recipient": "malicious", "availability.backup_available": True}],
    }
    evidence = {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "size": {"type": "integer"},
            "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
        },
    }
    proposal = {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "field": {"type": "string"},
            "value": {},
            "state": {"enum": ["proposed", "accepted", "rejected"]},
            "decided_at": INSTANT,
        },
    }
    finding = {
        "type": "object",
        "properties": {
            **finding_input["properties"],
            "indicators": {"type": "string"},
            "id": {"type": "integer"},
            "created_at": {"type": "string", "format": "date-time"},
            "author": {"type": "string"},
            "source": {"enum": ["web", "api"]},
            "evidence": {"type": "array", "items": {"$ref": "#/components/schemas/Evidence"}},
            "proposals": {"type": "array", "items": {"$ref": "#/components/schemas/Proposal"}},
        },
    }
    incident = {
        "type": "object",
        "properties": {
            "reference": {"type": "string"},
            "status": {"type": "string"},
            "assets": {"type": "array", "items": {"type": "string"}},
            "aware_at": {"type": "string", "format": "date-time"},
            "ico_deadline": {"type": "string", "format": "date-time"},
        },
    }
    incident_page = {
        "type": "object",
        "required": ["incidents", "next"],
        "properties": {
            "incidents": {"type": "array", "items": {"$ref": "#/components/schemas/Incident"}},
            "next": {
                "type": ["string", "null"],
                "description": "The address of the next page, or null on the last.",
                "examples": ["/api/incidents?limit=50&after=0.1763640000000000.42"],
            },
        },
    }
    error = {
        "type": "object",
        "required": ["error"],
        "properties": {"error": {"type": "string", "description": "In plain English."}},
    }
    return {
        "FindingInput": finding_input,
        "Proposals": proposals,
        "Finding": finding,
        "Evidence": evidence,
        "Proposal": proposal,
        "Incident": incident,
        "IncidentPage": incident_page,
        "Error": error,
    }


def _paths() -> dict[str, Any]:
    findings_list = {"type": "array", "items": {"$ref": "#/components/schemas/Finding"}}
    return {
        "/incidents": {
            "get": {
                "summary": "The open incidents you may add findings to, a page at a time",
                "description": "IT: those assigned to you. The DPO: every open incident. The "
                "nearest running deadline comes first. To read on, follow next (also sent as "
                'a Link header with rel="next"); it is null on the last page.',
                "parameters": [
                    {
                        "name": "limit",
                        "in": "query",
                        "required": False,
                        "description": "How many incidents a page holds.",
                        "schema": {
                            "type": "integer",
                            "minimum": 1,
                            "maximum": MOST_PER_PAGE,
                            "default": DEFAULT_LIMIT,
                        },
                    },
                    {
                        "name": "after",
                        "in": "query",
                        "required": False,
                        "description": "Where the page starts: copied from the previous "
                        "page's next link, never written by hand.",
                        "schema": {"type": "string", "pattern": r"^[0-9]+(\.[0-9]+)*$"},
                    },
                ],
                "responses": {
                    **_ok("A page of incidents.", {"$ref": "#/components/schemas/IncidentPage"}),
                    **_errors(400, 401, 403),
                },
            }
        },
        "/incidents/{reference}/findings": {
            "parameters": [REFERENCE],
            "get": {
                "summary": "The findings on an incident",
                "responses": {
                    **_ok("The findings, oldest first.", _wrap("findings", findings_list)),
                    **_errors(401, 403, 404),
                },
            },
            "post": {
                "summary": "Add a finding, with optional proposed fact changes",
                "description": "All or nothing: on any error nothing is saved.",
                "requestBody": {
                    "required": True,
                    "content": {JSON: {"schema": {"$ref": "#/components/schemas/FindingInput"}}},
                },
                "responses": {
                    **_ok("The saved finding.", {"$ref": "#/components/schemas/Finding"}, "201"),
                    **_errors(400, 401, 403, 404, 413),
                },
            },
        },
        "/openapi.json": {
            "get": {
                "summary": "This document",
                "security": [],
                "responses": _ok("The OpenAPI document.", {"type": "object"}),
            }
        },
        "/docs": {"get": {**_page("This API described for people"), "security": []}},
        "/tokens": {
            "get": _page("Your API tokens: create and revoke them"),
            "post": _page("Create a token; its secret is shown once", form=True),
        },
        "/tokens/{token_id}/revoke": {
            "parameters": [
                {"name": "token_id", "in": "path", "required": True, "schema": {"type": "integer"}}
            ],
            "post": _page("Revoke one of your tokens", form=True),
        },
    }


def _wrap(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "required": [name], "properties": {name: schema}}


def document() -> dict[str, Any]:
    """The whole OpenAPI 3.1 document, as a JSON-ready mapping."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "breachdesk API",
            "version": "1.0.0",
            "description": "Post technical findings to the incidents assigned to you. Create a "
            "token at /api/tokens and send it as 'Authorization: Bearer <token>'. Errors are "
            'JSON: {"error": "..."}, and nothing is saved when one is returned.',
        },
        "servers": [{"url": "/api"}],
        "security": [{"bearer": []}],
        "paths": _paths(),
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "bd_..."},
                "session": {"type": "apiKey", "in": "cookie", "name": "breachdesk_session"},
            },
            "schemas": _schemas(),
        },
    }
