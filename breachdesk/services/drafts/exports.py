"""Drafts out of the desk: Markdown, plain text, email files, and the mail merge.

A mail merge turns one approved notice into one message per person (UK GDPR Art. 34(1):
each person is told directly): email files for those with an address, and a printable
letter run for the post.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import asdict
from dataclasses import dataclass
from email.utils import formataddr

from breachdesk.domain import drafting as d
from breachdesk.domain.drafting import Draft
from breachdesk.domain.drafting import DraftKind
from breachdesk.domain.drafting import Recipient
from breachdesk.domain.drafting import plain_text
from breachdesk.domain.profile import Profile
from breachdesk.extensions import db
from breachdesk.models import DraftDoc
from breachdesk.models import DraftMerge
from breachdesk.models import DraftVersion
from breachdesk.models import User
from breachdesk.services import audit
from breachdesk.services.drafts.editing import DraftError
from breachdesk.services.drafts.editing import as_draft
from breachdesk.timeutil import utcnow

FORMATS = ("md", "txt", "eml")
MERGE_KINDS = frozenset({DraftKind.PEOPLE_LETTER, DraftKind.PEOPLE_EMAIL, DraftKind.CONTROLLER})
_MEDIA = {"md": "text/markdown", "txt": "text/plain", "eml": "message/rfc822"}
_UNSAFE = re.compile(r"[^A-Za-z0-9]+")


@dataclass(frozen=True)
class Export:
    content: bytes
    mimetype: str
    filename: str


def sender(profile: Profile) -> str:
    """The From line of every message: the organisation, at its DPO's address."""
    return formataddr((profile.name, profile.dpo.email))


def export(doc: DraftDoc, fmt: str, profile: Profile, version: DraftVersion | None = None):
    """The draft (its current version unless one is given) as a file to download or print."""
    if fmt not in FORMATS:
        raise DraftError("format", f"Unknown format {fmt!r}: use md, txt or eml.")
    version = version or doc.current
    draft = as_draft(doc, version)
    if fmt == "md":
        content = d.to_markdown(draft).encode("utf-8")
    elif fmt == "txt":
        content = d.to_text(draft).encode("utf-8")
    else:
        content = d.to_eml(draft, sender(profile), _to_line(doc, version), sent_at=version.sent_at)
    name = f"{doc.incident.reference}-{slug(doc.title)}-v{version.number}.{fmt}"
    return Export(content, _MEDIA[fmt], name)


def _to_line(doc: DraftDoc, version: DraftVersion) -> str:
    # Who it went to once sent; before that the named recipient, for the DPO to complete.
    return version.sent_to or doc.recipient or "undisclosed-recipients:;"


def slug(text: str) -> str:
    """A file-name-safe version of ``text``."""
    return _UNSAFE.sub("-", text).strip("-").lower()[:60] or "draft"


def merge_recipients(doc: DraftDoc, data: bytes, filename: str, actor: User) -> DraftMerge:
    """Read a recipients CSV and keep it with the current version: all rows or nothing.

    Raises:
        DraftError: the file is malformed; the message names the line. Nothing is saved.
    """
    if DraftKind(doc.kind) not in MERGE_KINDS:
        raise DraftError("recipients", "Only letters, emails and controller notices merge.")
    try:
        recipients = d.parse_recipients_csv(_decoded(data))
    except d.RecipientsError as exc:
        raise DraftError("recipients", str(exc)) from exc
    merge = DraftMerge(
        doc=doc,
        version=doc.current,
        filename=filename[:255],
        recipients=[asdict(r) for r in recipients],
        created_at=utcnow(),
        created_by_id=actor.id,
    )
    db.session.add(merge)
    audit.record(
        doc.incident,
        actor,
        "draft-merged",
        f"{doc.title}: version {doc.current.number} merged for {len(recipients)} recipients",
    )
    db.session.commit()
    return merge


def _decoded(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DraftError(
            "recipients", f"line {line}: the file is not UTF-8 text; save it as CSV UTF-8"
        ) from exc


def merged_drafts(merge: DraftMerge) -> list[Draft]:
    """One personal copy of the merged version per recipient, in file order."""
    base = as_draft(merge.doc, merge.version)
    return [d.personalise(base, Recipient(**row)) for row in merge.recipients]


def eml_zip(merge: DraftMerge, profile: Profile) -> Export:
    """A zip of one .eml per recipient with an email address."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for number, draft in enumerate(merged_drafts(merge), start=1):
            row = merge.recipients[number - 1]
            if not row.get("email"):
                continue
            to = formataddr((row["name"], row["email"]))
            archive.writestr(
                f"{number:04d}-{slug(row['name'] or row['email'])}.eml",
                d.to_eml(draft, sender(profile), to),
            )
    name = f"{merge.doc.incident.reference}-{slug(merge.doc.title)}-merge-{merge.id}.zip"
    return Export(buffer.getvalue(), "application/zip", name)


def get_merge(doc: DraftDoc, merge_id: int) -> DraftMerge | None:
    """The merge ``merge_id`` if it belongs to ``doc``."""
    merge = db.session.get(DraftMerge, merge_id)
    return merge if merge is not None and merge.draft_id == doc.id else None


def copyable_sections(doc: DraftDoc, version: DraftVersion | None = None):
    """(heading, plain text) per section, to paste into the ICO's online form one by one."""
    draft = as_draft(doc, version)
    return [(heading, plain_text(text)) for heading, text in d.sections(draft)]
