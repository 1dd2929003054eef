"""The organisation's two roles for the data a breach touches, decided once for every use.

An asset may hold some data as the organisation's own (it is the controller: it weighs the
risk and tells the ICO and the people, UK GDPR Arts. 33(1) and 34) and some on behalf of
others (it is their processor: it tells the controllers without undue delay, Art. 33(2)).
ODL's lab server holds the practices' details as controller and their patients' cases as
processor. Each part is weighed on its own data and people, and the two answers are put
together here, for the assessment page and the drafts alike.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import replace

from breachdesk.domain.assessment.engine import Decision
from breachdesk.domain.assessment.engine import decide
from breachdesk.domain.assessment.engine import severity_note
from breachdesk.domain.assessment.engine import with_open_questions
from breachdesk.domain.assessment.facts import Facts
from breachdesk.domain.assessment.risk import Reason
from breachdesk.domain.profile import ContactKind
from breachdesk.domain.profile import Group
from breachdesk.domain.profile import Profile
from breachdesk.domain.profile import count_people
from breachdesk.domain.vocabulary import ActingAs
from breachdesk.domain.vocabulary import DataCategory

#: How each part's reasons are introduced where both roles are involved.
ROLE_PREFIX = {
    ActingAs.CONTROLLER: "Our own data (as controller): ",
    ActingAs.PROCESSOR: "Data held for others (as processor): ",
}


@dataclass(frozen=True, slots=True)
class RolePart:
    """The decision on the part of the data held in one role, and whose data it is."""

    role: ActingAs
    facts: Facts
    decision: Decision
    groups: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ControllerToTell:
    """A controller to tell of a breach of data held for it (UK GDPR Art. 33(2))."""

    name: str
    holds_for: tuple[str, ...]  # the groups of people whose data we hold for it
    how: str = ""  # the profile's note on reaching it

    @property
    def line(self) -> str:
        """One line for a page or a draft: who, for whom, and how to reach them."""
        text = self.name[:1].upper() + self.name[1:]
        if self.holds_for:
            text += f" (for: {'; '.join(self.holds_for)})"
        return f"{text}. {self.how}" if self.how else text


@dataclass(frozen=True, slots=True)
class RoleAssessment:
    """The decision on a breach, per role where the assets hold data in both."""

    facts: Facts
    decision: Decision
    parts: tuple[RolePart, ...]
    controllers: tuple[ControllerToTell, ...]

    @property
    def mixed(self) -> bool:
        return len(self.parts) > 1

    @property
    def severity_note(self) -> str | None:
        """Why the ENISA band shown and the risk seem to disagree, or None. Where the data
        is mixed, the score shown is our own data's, so the reason is its part's."""
        own = self.part(ActingAs.CONTROLLER) if self.mixed else None
        return severity_note(own.decision if own else self.decision)

    def part(self, role: ActingAs) -> RolePart | None:
        """The part held in ``role``, or None when the breach touches none of it."""
        return next((p for p in self.parts if p.role is role), None)


def involved_groups(
    profile: Profile, asset_ids: Iterable[str], categories: Iterable[DataCategory | str]
) -> list[Group]:
    """The profile's groups, on the given assets, that hold any of ``categories``."""
    wanted = {DataCategory(c) for c in categories}
    return [
        g for a in profile.assets_of(asset_ids) for g in a.groups if set(g.data_categories) & wanted
    ]


def acting_as_for(groups: Sequence[Group]) -> ActingAs:
    """The role to start from: processor only when every group involved is held for others."""
    held_for_others = bool(groups) and all(g.acting_as is ActingAs.PROCESSOR for g in groups)
    return ActingAs.PROCESSOR if held_for_others else ActingAs.CONTROLLER


def split_by_role(facts: Facts, groups: Sequence[Group]) -> dict[ActingAs, Facts]:
    """Split the facts into the part held as controller and the part held as processor.

    Each part keeps the categories its role's groups hold, with their people and whether
    they are vulnerable. Categories no group holds stay with the controller part, the wider
    duty. Facts recorded as processor, or with no groups, are not split.
    """
    if facts.acting_as is ActingAs.PROCESSOR or not groups:
        return {facts.acting_as: facts}
    held = {role: [g for g in groups if g.acting_as is role] for role in ActingAs}
    if not held[ActingAs.PROCESSOR]:
        return {ActingAs.CONTROLLER: facts}
    any_vulnerable = any(g.may_be_vulnerable for g in groups)
    every_category = set(_ordered_union(g.data_categories for g in groups))
    parts: dict[ActingAs, Facts] = {}
    for role in (ActingAs.CONTROLLER, ActingAs.PROCESSOR):
        own = set(_ordered_union(g.data_categories for g in held[role]))
        keep = tuple(
            c
            for c in facts.data_categories
            if c in own or (role is ActingAs.CONTROLLER and c not in every_category)
        )
        if not keep:
            continue
        part_groups = [g for g in held[role] if set(g.data_categories) & set(keep)]
        vulnerable = facts.vulnerable_subjects and (
            any(g.may_be_vulnerable for g in part_groups) or not any_vulnerable
        )
        # The same people in several groups (the practices in Transactor and in Sage) once.
        count = count_people(part_groups) if part_groups else facts.subjects_count
        parts[role] = replace(
            facts,
            data_categories=keep,
            subjects_count=min(facts.subjects_count, count),
            vulnerable_subjects=vulnerable,
            acting_as=role,
        )
    return parts


def assess_by_role(facts: Facts, profile: Profile, asset_ids: Sequence[str]) -> RoleAssessment:
    """Decide on the breach for each role its data is held in, and put the two together:
    the ICO and the people from the organisation's own part, the controllers told of theirs.
    """
    groups = involved_groups(profile, asset_ids, facts.data_categories)

    def deciding(candidate: Facts) -> Decision:
        return _combined(_decided_parts(candidate, groups, decide))

    parts = _decided_parts(facts, groups, with_open_questions_of)
    decision = with_open_questions(facts, deciding) if len(parts) > 1 else parts[0].decision
    return RoleAssessment(facts, decision, parts, _controllers(profile, asset_ids, groups, parts))


def with_open_questions_of(facts: Facts) -> Decision:
    """The full decision on one part: unknowns weighed, open questions listed."""
    return with_open_questions(facts, decide)


def _decided_parts(facts: Facts, groups: Sequence[Group], deciding) -> tuple[RolePart, ...]:
    by_role = split_by_role(facts, groups)
    return tuple(
        RolePart(
            role,
            part_facts,
            deciding(part_facts),
            tuple(g.name for g in groups if g.acting_as is role or len(by_role) == 1),
        )
        for role, part_facts in by_role.items()
    )


def _combined(parts: tuple[RolePart, ...]) -> Decision:
    """One decision for both roles: risk, the ICO and the people from our own part (Arts.
    33(1) and 34 are about the data we control); the controllers told of theirs, with our
    view of its risk in that part's reasons."""
    if len(parts) == 1:
        return parts[0].decision
    mine = next(p.decision for p in parts if p.role is ActingAs.CONTROLLER)
    held = next(p.decision for p in parts if p.role is ActingAs.PROCESSOR)
    reasons = [_MIXED]
    for part in parts:
        prefix = ROLE_PREFIX[part.role]
        reasons += [replace(r, text=prefix + r.text) for r in part.decision.reasons]
    return replace(mine, notify_controller=held.notify_controller, reasons=tuple(reasons))


def _controllers(
    profile: Profile, asset_ids: Sequence[str], groups: Sequence[Group], parts
) -> tuple[ControllerToTell, ...]:
    """Who to tell as controller: the controllers the profile names for the groups held for
    them; failing that, its controller contacts for the assets, then any it has at all."""
    if not any(p.role is ActingAs.PROCESSOR for p in parts):
        return ()
    held = [g for g in groups if g.acting_as is ActingAs.PROCESSOR] or list(groups)
    assets = [a for a in asset_ids if a in profile.asset_ids]
    contacts = [c for a in assets for c in profile.contacts_for(a)]
    named = [c for c in contacts if c.kind is ContactKind.CONTROLLER] or [
        c for c in profile.contacts if c.kind is ContactKind.CONTROLLER
    ]
    how = " ".join(dict.fromkeys(c.notes.strip() for c in named if c.notes.strip()))
    described: dict[str, list[str]] = {}
    for group in held:
        if group.controllers:
            described.setdefault(group.controllers, []).append(group.name)
    if described:
        return tuple(ControllerToTell(name, tuple(g), how) for name, g in described.items())
    names = tuple(g.name for g in held)
    found = {c.name: ControllerToTell(c.name, names, c.notes.strip()) for c in named}
    return tuple(found.values())


def _ordered_union(groups: Iterable[Iterable[DataCategory]]) -> list[DataCategory]:
    seen: dict[DataCategory, None] = {}
    for categories in groups:
        for category in categories:
            seen.setdefault(category)
    return list(seen)


_MIXED = Reason(
    "controller-and-processor",
    "The assets involved hold some of this data as the organisation's own (as controller) "
    "and some on behalf of others (as processor), so each part is weighed separately: the "
    "ICO and the people are told about our own data as its risk requires, and the "
    "controllers are told, without undue delay, about the data held for them.",
    "UK GDPR Art. 33(1) and 33(2); WP250 rev.01 (EDPB Guidelines 9/2022), Annex B example vii",
)
