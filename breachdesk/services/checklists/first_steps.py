"""The first things a reporter should do now, from the playbooks of the assets they named,
and whom to call while doing them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from breachdesk.domain.playbooks import Step
from breachdesk.domain.playbooks import first_steps
from breachdesk.domain.profile import ContactKind
from breachdesk.domain.profile import Profile
from breachdesk.domain.vocabulary import NOT_SURE_ASSET
from breachdesk.domain.vocabulary import Role
from breachdesk.domain.vocabulary import Situation
from breachdesk.services.checklists.library import PlaybookLibrary
from breachdesk.services.checklists.runs import playbooks_for_assets


@dataclass(frozen=True)
class Callee:
    """Someone a reporter may have to ring at once, with how to reach them."""

    name: str
    why: str
    phone: str
    email: str


def first_steps_for(
    library: PlaybookLibrary,
    profile: Profile,
    asset_ids: Iterable[str],
    situation: Situation = Situation.NOT_SURE,
) -> tuple[Step, ...]:
    """The staff steps, for the reported situation, of the playbook of each asset.

    The profile names each asset's playbook; a step shared by two playbooks comes once.
    """
    seen: set[str] = set()
    steps: list[Step] = []
    for playbook in playbooks_for_assets(list(asset_ids) or [NOT_SURE_ASSET], library, profile):
        for step in first_steps(playbook, Role.STAFF, situation):
            if step.id not in seen:
                seen.add(step.id)
                steps.append(step)
    return tuple(steps)


def who_to_call(profile: Profile, asset_ids: Iterable[str]) -> tuple[Callee, ...]:
    """The DPO, the deputy, and the processors of the named assets that give a phone number.

    A first step may say "phone Reliant and the DPO now": the number must be on the same
    page, not in a profile the reporter cannot see.
    """
    people = [
        Callee(profile.dpo.name, profile.dpo.role_title or "DPO", profile.dpo.phone,
               profile.dpo.email),
        Callee(profile.deputy.name, profile.deputy.role_title or "Deputy",
               profile.deputy.phone, profile.deputy.email),
    ]  # fmt: skip
    seen: set[str] = set()
    for asset in profile.assets_of(asset_ids):
        for contact in profile.contacts_for(asset):
            if contact.kind is ContactKind.PROCESSOR and contact.phone and contact.id not in seen:
                seen.add(contact.id)
                people.append(Callee(contact.name, contact.service, contact.phone, contact.email))
    return tuple(people)
