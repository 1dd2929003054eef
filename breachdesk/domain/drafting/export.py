"""A draft as a Markdown file, as plain text, or as an email message (.eml)."""

from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime

from breachdesk.domain.clock import require_aware
from breachdesk.domain.drafting.model import Draft
from breachdesk.domain.drafting.render import escape_inline
from breachdesk.domain.drafting.render import plain_text


def to_markdown(draft: Draft) -> str:
    """Return the whole draft as Markdown: the subject as the title, then the body."""
    return f"# {escape_inline(draft.subject)}\n\n{draft.body_markdown.strip()}\n"


def to_text(draft: Draft) -> str:
    """Return the whole draft as readable plain text, with no Markdown or escapes left."""
    return plain_text(to_markdown(draft))


def to_eml(draft: Draft, sender: str, recipient: str, *, sent_at: datetime | None = None) -> bytes:
    """Return the draft as an RFC 5322 message: UTF-8 plain text, subject from the draft."""
    message = EmailMessage()
    message["Subject"] = draft.subject
    message["From"] = sender
    message["To"] = recipient
    if sent_at is not None:
        message["Date"] = format_datetime(require_aware(sent_at, "sent_at"))
    message.set_content(plain_text(draft.body_markdown), charset="utf-8")
    return bytes(message)
