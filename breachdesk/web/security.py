"""Access rules for views: deny by default, roles by decorator, incidents by visibility."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from flask import abort
from flask import request
from flask_login import current_user

from breachdesk.domain.vocabulary import Role
from breachdesk.models import Incident
from breachdesk.services import incidents as incident_service

#: Endpoints anyone may reach without signing in; everything else needs a session.
PUBLIC_ENDPOINTS = frozenset({"auth.login", "static", "health", "favicon"})


def role_required(*roles: Role) -> Callable:
    """Allow the view only to users holding one of ``roles`` (403 otherwise)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated or not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def load_incident_or_404(reference: str) -> Incident:
    """The incident if the signed-in user may see it; 404 otherwise, so nothing leaks."""
    incident = incident_service.find_visible(current_user, reference)
    if incident is None:
        abort(404)
    return incident


def safe_next_url(target: str | None) -> str | None:
    """Accept only a path on this site as a place to return to after signing in."""
    if not target:
        return None
    target = target.strip()
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return None
    return target


def wants_json() -> bool:
    return request.path.startswith("/api/")
