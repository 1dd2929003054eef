"""The checklist as a working view: a summary on top, the steps to do next first, the
finished ones folded away at the end.

A playbook lists its steps in the order it was written; on the day, what matters is what is
overdue and what is due soonest. The page keeps the playbook's order among steps that are
equally urgent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from breachdesk.domain import clock
from breachdesk.models import ChecklistItem
from breachdesk.models import StepState
from breachdesk.services.checklists import runs as checklists


@dataclass(frozen=True)
class WorkingChecklist:
    """The steps of one checklist, ordered for the work, and what is due next."""

    to_do: list[ChecklistItem]
    finished: list[ChecklistItem]
    progress: checklists.Progress
    next_step: ChecklistItem | None
    next_due_words: str | None


def _urgency(item: ChecklistItem, now: datetime, playbook_order: int) -> tuple:
    due = checklists.item_due_at(item)
    overdue = checklists.item_is_overdue(item, now)
    # Overdue first, then the soonest due, then steps with no time limit in playbook order.
    return (not overdue, due is None, due or now, playbook_order)


def working_checklist(items: list[ChecklistItem], now: datetime) -> WorkingChecklist:
    """``items`` (in playbook order) split into what to do, soonest first, and what is done."""
    position = {id(item): n for n, item in enumerate(items)}
    to_do = sorted(
        (item for item in items if item.state is StepState.OPEN),
        key=lambda item: _urgency(item, now, position[id(item)]),
    )
    finished = [item for item in items if item.state is not StepState.OPEN]
    next_step = to_do[0] if to_do else None
    due = checklists.item_due_at(next_step) if next_step else None
    return WorkingChecklist(
        to_do=to_do,
        finished=finished,
        progress=checklists.progress(items, now),
        next_step=next_step,
        next_due_words=clock.describe_time_left(now, due) if due else None,
    )
