"""Sections of the incident page contributed by other blueprints.

Each capability (playbook, findings, assessment, drafts...) registers a panel; the incident
page renders them in order, so no blueprint edits another's template.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from breachdesk.models import Incident
from breachdesk.models import User


@dataclass(frozen=True)
class Panel:
    order: int
    template: str
    build: Callable[[Incident, User], dict[str, Any] | None]


_PANELS: list[Panel] = []


def incident_panel(order: int, template: str):
    """Register ``build(incident, user) -> context or None`` (None hides the panel)."""

    def decorator(build: Callable[[Incident, User], dict[str, Any] | None]):
        _PANELS.append(Panel(order, template, build))
        _PANELS.sort(key=lambda panel: panel.order)
        return build

    return decorator


def panels_for(incident: Incident, user: User) -> list[tuple[str, dict[str, Any]]]:
    """The panels ``user`` may see on ``incident``, with their template contexts."""
    shown = []
    for panel in _PANELS:
        context = panel.build(incident, user)
        if context is not None:
            shown.append((panel.template, context))
    return shown
