"""Reading organisation profiles from TOML files in the instance folder.

The file is read here; every check on its content lives in ``breachdesk.domain.profile.parsing``.
Any problem, from a missing file to a misspelt key, becomes one ``ProfileError`` naming
the file and where in it to look.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from breachdesk.domain.profile import Profile
from breachdesk.domain.profile import ProfileError
from breachdesk.domain.profile import profile_from_mapping

__all__ = ["ProfileError", "load_profile", "load_profiles"]

# Python 3.11's tomllib puts the place only in the message: "... (at line 3, column 8)".
_WHERE = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)$")


def load_profile(path: Path) -> Profile:
    """Read and validate one profile file.

    Raises:
        ProfileError: naming the file and the line (for TOML syntax) or field at fault.
    """
    source = str(path)
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise ProfileError(source, "file", "does not exist") from None
    except OSError as exc:
        raise ProfileError(source, "file", f"cannot be read: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise ProfileError(source, "file", "is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise _syntax_error(source, exc) from None
    return profile_from_mapping(data, source)


def load_profiles(folder: Path) -> dict[str, Profile]:
    """Read every ``*.toml`` profile in ``folder``, keyed by profile id.

    Raises:
        ProfileError: for the first broken file, or two files with the same profile id.
    """
    profiles: dict[str, Profile] = {}
    sources: dict[str, Path] = {}
    for path in sorted(folder.glob("*.toml")):
        profile = load_profile(path)
        if profile.id in profiles:
            message = f"duplicate profile id {profile.id!r} (also in {sources[profile.id]})"
            raise ProfileError(str(path), "organisation.id", message)
        profiles[profile.id] = profile
        sources[profile.id] = path
    return profiles


def _syntax_error(source: str, exc: tomllib.TOMLDecodeError) -> ProfileError:
    text = str(exc)
    match = _WHERE.search(text)
    problem = text[: match.start()] if match else text
    if match and match.group(1):
        where = f"line {match.group(1)}"
        problem = f"{problem} (column {match.group(2)})"
    else:
        where = "end of file"
    return ProfileError(source, where, f"not valid TOML: {problem}")
