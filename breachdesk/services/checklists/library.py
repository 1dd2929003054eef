"""The playbooks directory: load every file, check them together, look one up by asset.

Each file is parsed by ``breachdesk.domain.playbooks``; this module adds what only the
whole directory can tell: an id used twice, an asset no profile has, an asset claimed by
two playbooks, and a step id that means different roles in different files.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from breachdesk.domain.playbooks import Playbook
from breachdesk.domain.playbooks import Problem
from breachdesk.domain.playbooks import Step
from breachdesk.domain.playbooks import merge_checklists
from breachdesk.domain.playbooks import parse_playbook
from breachdesk.domain.vocabulary import NOT_SURE_ASSET

#: The DPO's guide to the format lives beside the playbooks and is not one.
_NOT_PLAYBOOKS = {"readme.md"}


class PlaybookLibraryError(Exception):
    """The playbooks directory has problems; str() lists each on its own line."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


@dataclass(frozen=True)
class PlaybookLibrary:
    """Every playbook, by id and by the asset it serves."""

    by_id: dict[str, Playbook]
    by_asset: dict[str, Playbook]

    def __iter__(self) -> Iterator[Playbook]:
        return iter(self.by_id.values())

    def __len__(self) -> int:
        return len(self.by_id)

    def get(self, playbook_id: str) -> Playbook | None:
        """The playbook with this id, or None."""
        return self.by_id.get(playbook_id)

    def for_asset(self, asset_id: str) -> Playbook | None:
        """The playbook for this asset, or None if no playbook lists it."""
        return self.by_asset.get(asset_id)

    def for_assets(self, asset_ids: Iterable[str]) -> tuple[Playbook, ...]:
        """The playbooks for several assets, each once, in the order the assets came."""
        found = (self.by_asset.get(asset_id) for asset_id in asset_ids)
        return tuple({playbook.id: playbook for playbook in found if playbook}.values())

    def checklist(self, asset_ids: Iterable[str]) -> tuple[Step, ...]:
        """One merged checklist for a breach on several assets (shared steps once)."""
        return merge_checklists(self.for_assets(asset_ids))


def load_playbooks(directory: Path, known_assets: set[str]) -> PlaybookLibrary:
    """Load and check every playbook; raise PlaybookLibraryError listing every problem."""
    playbooks, problems = _scan(directory, known_assets)
    if problems:
        raise PlaybookLibraryError(problems)
    by_asset = {asset: playbook for playbook in playbooks for asset in playbook.assets}
    return PlaybookLibrary({playbook.id: playbook for playbook in playbooks}, by_asset)


def check_playbooks(directory: Path, known_assets: set[str]) -> list[Problem]:
    """Every problem in the playbooks directory (an empty list when all is well)."""
    return _scan(directory, known_assets)[1]


def _scan(directory: Path, known_assets: set[str]) -> tuple[list[Playbook], list[Problem]]:
    files = _playbook_files(directory)
    if not files:
        return [], [Problem(directory.name, 0, "no playbook files (*.md) in this directory")]
    playbooks: list[Playbook] = []
    problems: list[Problem] = []
    for path in files:
        playbook, found = _parse_file(path, f"{directory.name}/{path.name}")
        problems += found
        if playbook is not None:
            problems += _check_file_name(playbook, path)
            playbooks.append(playbook)
    problems += _cross_check(playbooks, known_assets | {NOT_SURE_ASSET}, directory.parent)
    return playbooks, sorted(problems, key=lambda problem: (problem.source, problem.line))


def _playbook_files(directory: Path) -> list[Path]:
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.glob("*.md") if p.name.lower() not in _NOT_PLAYBOOKS)


def _parse_file(path: Path, source: str) -> tuple[Playbook | None, list[Problem]]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return None, [Problem(source, 1, f"cannot be read as UTF-8 text: {error}")]
    return parse_playbook(text, source)


def _check_file_name(playbook: Playbook, path: Path) -> list[Problem]:
    """The file is named after its id, so a DPO looking for a playbook finds it."""
    if path.stem == playbook.id:
        return []
    message = f"id '{playbook.id}' differs from the file name: rename it {playbook.id}.md"
    return [Problem(playbook.source, _field_line(path, "id"), message)]


def _cross_check(playbooks: list[Playbook], known_assets: set[str], root: Path) -> list[Problem]:
    """Checks that need every file: ids, assets and shared steps agree across them."""
    problems: list[Problem] = []
    owner_of_id: dict[str, Playbook] = {}
    owner_of_asset: dict[str, Playbook] = {}
    role_of_step: dict[str, tuple[Step, Playbook]] = {}
    for playbook in playbooks:
        if (other := owner_of_id.setdefault(playbook.id, playbook)) is not playbook:
            line = _field_line(root / playbook.source, "id")
            problems.append(
                _at(playbook, line, f"playbook id '{playbook.id}' is also in {other.source}")
            )
        for asset in playbook.assets:
            problems += _check_asset(playbook, asset, known_assets, owner_of_asset, root)
        for step in playbook.steps:
            first, where = role_of_step.setdefault(step.id, (step, playbook))
            if first.role is not step.role:
                message = (
                    f"step '{step.id}' is for {step.role}, but for {first.role} in {where.source}"
                )
                problems.append(_at(playbook, step.line, message))
            elif first.acting_as is not step.acting_as:
                message = f"step '{step.id}' has a different 'As' line in {where.source}"
                problems.append(_at(playbook, step.line, message))
    return problems


def _check_asset(
    playbook: Playbook, asset: str, known: set[str], owners: dict[str, Playbook], root: Path
) -> list[Problem]:
    if asset not in known:
        message = f"asset '{asset}' is in no organisation profile"
    elif (other := owners.setdefault(asset, playbook)) is not playbook:
        message = f"asset '{asset}' already has playbook '{other.id}'"
    else:
        return []
    return [_at(playbook, _field_line(root / playbook.source, "assets"), message)]


def _at(playbook: Playbook, line: int, message: str) -> Problem:
    return Problem(playbook.source, line, message)


def _field_line(path: Path, key: str) -> int:
    """The line of a metadata field, so a cross-file problem points where to fix it."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next((n for n, line in enumerate(lines, 1) if line.startswith(f"{key}:")), 1)
