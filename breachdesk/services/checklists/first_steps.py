"""The first things a reporter should do now, from the playbooks of the assets they named."""

from __future__ import annotations

from collections.abc import Iterable

from breachdesk.domain.playbooks import Step
from breachdesk.domain.playbooks import first_steps
from breachdesk.domain.vocabulary import NOT_SURE_ASSET
from breachdesk.domain.vocabulary import Role
from breachdesk.services.checklists.library import PlaybookLibrary


def first_steps_for(library: PlaybookLibrary, asset_ids: Iterable[str]) -> tuple[Step, ...]:
    """Staff steps of every named asset's playbook, each shared step once, in order."""
    seen: set[str] = set()
    steps: list[Step] = []
    for playbook in library.for_assets(list(asset_ids) or [NOT_SURE_ASSET]):
        for step in first_steps(playbook, Role.STAFF):
            if step.id not in seen:
                seen.add(step.id)
                steps.append(step)
    return tuple(steps)
