"""``breachdesk draft REF --kind ...``: print the current draft of an incident."""

from __future__ import annotations

import email
import email.policy
import sys
from email.generator import BytesGenerator
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from breachdesk.services.drafts.editing import GROUPS

FORMATS = ("md", "txt", "eml")


@click.command("draft")
@click.argument("reference")
@click.option("--kind", required=True, help=f"One of: {', '.join(GROUPS)}.")
@click.option("--format", "fmt", default="md", show_default=True, help="md, txt or eml.")
@with_appcontext
def draft(reference: str, kind: str, fmt: str) -> None:
    """Print the current draft of incident REFERENCE, making it from the templates if needed.

    Several drafts (one per processor, say) are printed one after another; as eml they
    come as one mbox stream.
    """
    from sqlalchemy import select

    from breachdesk.extensions import db
    from breachdesk.models import Incident
    from breachdesk.services.drafts import editing as drafts
    from breachdesk.services.drafts import exports as draft_exports

    if kind not in GROUPS:
        _fail(f"unknown kind {kind!r}: use one of {', '.join(GROUPS)}")
    if fmt not in FORMATS:
        _fail(f"unknown format {fmt!r}: use md, txt or eml")
    incident = db.session.scalar(select(Incident).where(Incident.reference == reference))
    if incident is None:
        _fail(f"no incident {reference!r}")
    profile = current_app.extensions["breachdesk"].profile
    try:
        docs = drafts.current_drafts(
            incident, profile, kind, instance_path=Path(current_app.instance_path)
        )
    except drafts.DraftError as exc:
        _fail(str(exc))
    if not docs:
        _fail(f"nothing to draft: no {kind} are involved in {reference}")
    files = [draft_exports.export(doc, fmt, profile).content for doc in docs]
    out = sys.stdout.buffer
    if fmt == "eml" and len(files) > 1:
        for content in files:
            _write_mbox_entry(out, content)
    else:
        separator = b"\n---\n\n" if fmt == "md" else b"\n" + b"=" * 72 + b"\n\n"
        out.write(separator.join(files))
    out.flush()


def _write_mbox_entry(out, content: bytes) -> None:
    message = email.message_from_bytes(content, policy=email.policy.default)
    message.set_unixfrom("From breachdesk")
    BytesGenerator(out, mangle_from_=True, policy=email.policy.default).flatten(
        message, unixfrom=True
    )
    out.write(b"\n")


def _fail(message: str) -> None:
    click.echo(f"breachdesk draft: {message}", err=True)
    raise SystemExit(2)
