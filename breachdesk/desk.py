"""What this desk serves: the organisation's profile and its playbooks, loaded at start."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import Flask
from flask import current_app

from breachdesk.config import SHIPPED_PROFILES
from breachdesk.domain.profile import Profile
from breachdesk.domain.vocabulary import NOT_SURE_ASSET
from breachdesk.services.checklists.library import PlaybookLibrary
from breachdesk.services.checklists.library import load_playbooks
from breachdesk.services.profiles import load_profile


@dataclass(frozen=True)
class Desk:
    profile: Profile
    playbooks: PlaybookLibrary


def load_desk(app: Flask) -> Desk:
    """Read the profile and the playbooks; a broken one stops the start with its message."""
    profile = load_profile(Path(app.config["PROFILE_PATH"]))
    playbooks = load_playbooks(Path(app.config["PLAYBOOKS_DIR"]), known_assets(profile))
    return Desk(profile=profile, playbooks=playbooks)


def known_assets(profile: Profile | None = None) -> set[str]:
    """Every asset id the active or a shipped profile names, so one playbook serves both."""
    ids = {NOT_SURE_ASSET} | (set(profile.asset_ids) if profile else set())
    for path in sorted(SHIPPED_PROFILES.glob("*.toml")):
        ids.update(load_profile(path).asset_ids)
    return ids


def get_desk() -> Desk:
    return current_app.extensions["breachdesk"]


def get_profile() -> Profile:
    return get_desk().profile
