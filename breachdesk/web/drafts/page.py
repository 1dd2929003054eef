"""The draft page as a working view: what to do next on top, then the words by section.

Every route of the drafts blueprint that shows a draft, after a refusal or a preview,
draws it here, so the page always has the same parts in the same order.
"""

from __future__ import annotations

from flask import abort
from flask import render_template
from flask import url_for

from breachdesk.domain.drafting import split_sections
from breachdesk.models import DraftDoc
from breachdesk.services.clocks import incident_clocks
from breachdesk.services.drafts import editing as service
from breachdesk.services.drafts import exports
from breachdesk.services.drafts import sending
from breachdesk.timeutil import LONDON
from breachdesk.timeutil import utcnow
from breachdesk.web.drafts.forms import ActionForm
from breachdesk.web.drafts.forms import ApproveForm
from breachdesk.web.drafts.forms import EditForm
from breachdesk.web.drafts.forms import MergeForm
from breachdesk.web.drafts.forms import SectionsForm
from breachdesk.web.drafts.forms import SentForm
from breachdesk.web.security import load_incident_or_404

#: The kinds timed by the people's clock (a promise, or the wait since the decision); the
#: ICO report's is the ICO's 72 hours.
PEOPLE_KINDS = frozenset({"people_letter", "people_email", "public_notice"})


def load_draft(reference: str, draft_id: int) -> DraftDoc:
    """The draft if its incident is visible to the user and it belongs to it; 404 otherwise."""
    incident = load_incident_or_404(reference)
    doc = service.get_draft(incident, draft_id)
    if doc is None:
        abort(404)
    return doc


def doc_url(doc: DraftDoc) -> str:
    return url_for("drafts.detail", reference=doc.incident.reference, draft_id=doc.id)


def render_draft(
    doc: DraftDoc,
    *,
    edit_form=None,
    sent_form=None,
    merge_form=None,
    sections_form=None,
    preview: tuple[str, str] | None = None,
    problem: str | None = None,
):
    """The draft page; forms given are shown as they were sent (with their errors)."""
    current = doc.current
    now = utcnow()
    clocks = incident_clocks(doc.incident, now)
    return render_template(
        "drafts/detail.html",
        doc=doc,
        incident=doc.incident,
        current=current,
        clocks=clocks,
        for_the_people=doc.kind in PEOPLE_KINDS,
        sections=exports.copyable_sections(doc),
        titles=[section.title for section in split_sections(current.body_markdown)],
        sections_form=sections_form or _sections_form(doc),
        preview=preview,
        edit_form=edit_form or _edit_form(doc),
        sent_form=sent_form or _sent_form(doc),
        merge_form=merge_form or MergeForm(formdata=None),
        action_form=ActionForm(),
        approve_form=ApproveForm(formdata=None),
        can_merge=doc.kind in {k.value for k in exports.MERGE_KINDS},
        case_reference=sending.ico_case_reference(doc.incident),
        problem=problem,
        rows_for=rows_for,
    )


def rows_for(text: str, width: int = 64, most: int = 16) -> int:
    """How tall a text box should be to show ``text`` whole, wrapped at about ``width``."""
    lines = sum(1 + len(line) // width for line in (text or "").splitlines())
    return max(3, min(lines + 1, most))


def _sections_form(doc: DraftDoc) -> SectionsForm:
    current = doc.current
    texts = [section.plain for section in split_sections(current.body_markdown)]
    data = {"subject": current.subject, "sections": texts, "based_on": current.number}
    return SectionsForm(formdata=None, data=data)


def _edit_form(doc: DraftDoc) -> EditForm:
    current = doc.current
    return EditForm(formdata=None, data={"subject": current.subject, "body": current.body_markdown})


def _sent_form(doc: DraftDoc) -> SentForm:
    now = utcnow().astimezone(LONDON).replace(tzinfo=None, second=0, microsecond=0)
    return SentForm(formdata=None, data={"sent_at": now, "sent_to": doc.recipient or ""})
