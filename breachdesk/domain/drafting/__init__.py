"""Drafting the messages a breach needs: incident facts in, reviewed-ready text out.

- the report to the ICO (UK GDPR Art. 33), in the sections of the ICO's form;
- the notice to the people affected (Art. 34), as a letter, an email or a public notice;
- notices to processors and partners, and to controllers (Art. 33(2));
- an internal summary for staff.

Templates are Markdown with ``{{ name }}`` placeholders, filled by a small renderer that
escapes everything people typed. Import the public API from here.
"""

from __future__ import annotations

from breachdesk.domain.drafting.export import to_eml
from breachdesk.domain.drafting.export import to_markdown
from breachdesk.domain.drafting.export import to_text
from breachdesk.domain.drafting.ico import draft_ico_report
from breachdesk.domain.drafting.merge import Recipient
from breachdesk.domain.drafting.merge import RecipientsError
from breachdesk.domain.drafting.merge import parse_recipients_csv
from breachdesk.domain.drafting.merge import personalise
from breachdesk.domain.drafting.model import ContactDetails
from breachdesk.domain.drafting.model import Draft
from breachdesk.domain.drafting.model import DraftContext
from breachdesk.domain.drafting.model import DraftKind
from breachdesk.domain.drafting.model import OrgDetails
from breachdesk.domain.drafting.model import sections
from breachdesk.domain.drafting.partners import draft_controller_notices
from breachdesk.domain.drafting.partners import draft_processor_notices
from breachdesk.domain.drafting.partners import draft_staff_summary
from breachdesk.domain.drafting.people import draft_people_notice
from breachdesk.domain.drafting.people import draft_public_notice
from breachdesk.domain.drafting.phrases import TO_FOLLOW
from breachdesk.domain.drafting.phrases import TO_FOLLOW_MARK
from breachdesk.domain.drafting.phrases import about
from breachdesk.domain.drafting.phrases import day
from breachdesk.domain.drafting.phrases import when
from breachdesk.domain.drafting.readability import flesch_reading_ease
from breachdesk.domain.drafting.render import INVISIBLE_CONTROLS
from breachdesk.domain.drafting.render import TemplateError
from breachdesk.domain.drafting.render import escape_inline
from breachdesk.domain.drafting.render import plain_inline
from breachdesk.domain.drafting.render import plain_text
from breachdesk.domain.drafting.render import render
from breachdesk.domain.drafting.section_editing import EditableSection
from breachdesk.domain.drafting.section_editing import SectionsChanged
from breachdesk.domain.drafting.section_editing import edited_body
from breachdesk.domain.drafting.section_editing import split_sections

__all__ = [
    "INVISIBLE_CONTROLS",
    "TO_FOLLOW",
    "TO_FOLLOW_MARK",
    "ContactDetails",
    "Draft",
    "DraftContext",
    "DraftKind",
    "EditableSection",
    "OrgDetails",
    "Recipient",
    "RecipientsError",
    "SectionsChanged",
    "TemplateError",
    "about",
    "day",
    "draft_controller_notices",
    "draft_ico_report",
    "draft_people_notice",
    "draft_processor_notices",
    "draft_public_notice",
    "draft_staff_summary",
    "edited_body",
    "escape_inline",
    "flesch_reading_ease",
    "parse_recipients_csv",
    "personalise",
    "plain_inline",
    "plain_text",
    "render",
    "sections",
    "split_sections",
    "to_eml",
    "to_markdown",
    "to_text",
    "when",
]
