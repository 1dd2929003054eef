"""The list of a page's errors shown at its top, each linked to the field it is about.

A form's errors appear beside its fields, which on a long page can be far below where the
person is looking. The summary at the top names every one and links to the field, so a
screen reader announces them and a keyboard reaches the field in one step.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask_wtf import FlaskForm

#: Fields drawn as a list of choices: the link goes to the first choice, which can take focus.
_CHOICE_LISTS = frozenset({"RadioField", "CheckboxListField"})


@dataclass(frozen=True)
class ErrorLink:
    """One error: where it is (an element id on the page) and what it says."""

    target: str
    message: str


def error_links(
    form: FlaskForm | None, anchors: Mapping[str, str] | None = None
) -> list[ErrorLink]:
    """Every error of ``form``, each pointing at its field; ``anchors`` overrides field ids.

    Errors of the form as a whole point at the form's first field.
    """
    if form is None:
        return []
    anchors = anchors or {}
    links = []
    first_target = None
    for field in form:
        if field.type in ("CSRFTokenField", "HiddenField", "SubmitField"):
            continue
        target = anchors.get(field.name) or _target_of(field)
        first_target = first_target or target
        links += [ErrorLink(target, str(message)) for message in _messages(field.errors)]
    for message in getattr(form, "form_errors", []):
        links.append(ErrorLink(first_target or "main", str(message)))
    return links


def _target_of(field) -> str:
    return f"{field.id}-0" if field.type in _CHOICE_LISTS else field.id


def _messages(errors) -> list[str]:
    # A field made of sub-fields keeps its errors in a dict; only lists are shown here.
    return list(errors) if isinstance(errors, list | tuple) else []
