"""Recording that the ICO or the people were told, the clocks panel, and the outbox page."""

from __future__ import annotations

from flask import abort
from flask import current_app
from flask import flash
from flask import redirect
from flask import render_template
from flask import url_for
from flask_login import current_user

from breachdesk.domain.vocabulary import Role
from breachdesk.models import Incident
from breachdesk.models import User
from breachdesk.services import notices as notice_service
from breachdesk.services.clocks import incident_clocks
from breachdesk.services.reminders import outbox as outbox_service
from breachdesk.services.reminders import outbox_groups
from breachdesk.services.reminders.mail import settings_from_config
from breachdesk.timeutil import LONDON
from breachdesk.timeutil import utcnow
from breachdesk.web.clocks import bp
from breachdesk.web.clocks.forms import NoticeForm
from breachdesk.web.clocks.forms import OutboxActionForm
from breachdesk.web.panels import incident_panel
from breachdesk.web.security import load_incident_or_404
from breachdesk.web.security import role_required


@incident_panel(15, "clocks/panel.html")
def clocks_panel(incident: Incident, user: User) -> dict | None:
    """Both clocks for the DPO and IT; notices, email troubles and the form for the DPO."""
    if not user.has_role(Role.DPO, Role.IT):
        return None
    now = utcnow()
    is_dpo = user.has_role(Role.DPO)
    return {
        "incident": incident,
        "clocks": incident_clocks(incident, now),
        # IT sees the clocks only: who was told, and why late, is the DPO's business.
        "notices": notice_service.notices_of(incident) if is_dpo else [],
        "mail_troubles": outbox_service.troubles_of(incident.id, now) if is_dpo else {},
        "is_dpo": is_dpo,
    }


@bp.route("/<reference>/notices/new", methods=["GET", "POST"])
@role_required(Role.DPO)
def record_notice(reference: str):
    incident = load_incident_or_404(reference)
    form = NoticeForm()
    if not form.is_submitted():
        form = _fresh_form()
    elif form.validate():
        try:
            notice_service.record_notice(
                incident,
                form.audience.data,
                form.told_at.data,
                form.reference.data,
                form.channel.data or "",
                form.recipient.data or "",
                form.delay_reasons.data,
                current_user,
            )
        except notice_service.NoticeError as exc:
            getattr(form, exc.field).errors.append(str(exc))
        else:
            flash("Recorded; the clock for them has stopped.")
            return redirect(url_for("incidents.detail", reference=reference))
    status = 400 if form.is_submitted() else 200
    clocks = incident_clocks(incident, utcnow())
    page = render_template("clocks/record_notice.html", incident=incident, form=form, clocks=clocks)
    return page, status


def _fresh_form() -> NoticeForm:
    now = utcnow().astimezone(LONDON).replace(tzinfo=None, second=0, microsecond=0)
    return NoticeForm(formdata=None, data={"told_at": now})


@bp.route("/outbox")
@role_required(Role.DPO)
def outbox():
    return _render_outbox()


def _render_outbox(error: str | None = None) -> str:
    now = utcnow()
    view = outbox_service.overview(now)
    return render_template(
        "clocks/outbox.html",
        check_manually=outbox_groups.one_by_one(view.check_manually),
        retrying=outbox_groups.group_messages(view.retrying),
        waiting=outbox_groups.group_messages(view.waiting),
        delivered=outbox_groups.group_messages(view.delivered),
        mail=settings_from_config(current_app.config),
        now=now,
        stuck_minutes=int(outbox_service.STUCK_AFTER.total_seconds() // 60),
        error=error,
    )


@bp.route("/outbox/<int:message_id>")
@role_required(Role.DPO)
def outbox_message(message_id: int):
    """One email in full, with any others queued with it to the same person."""
    group = outbox_groups.group_of(message_id)
    if group is None:
        abort(404)
    now = utcnow()
    states = {m.id: outbox_service.state_of(m, now) for m in group.messages}
    return render_template("clocks/outbox_message.html", group=group, states=states)


@bp.route("/outbox/<int:message_id>/<action>", methods=["POST"])
@role_required(Role.DPO)
def outbox_action(message_id: int, action: str):
    actions = {"release": outbox_service.release, "delivered": outbox_service.mark_delivered}
    if action not in actions:
        abort(404)
    if not OutboxActionForm().validate_on_submit():
        abort(400)
    try:
        actions[action](message_id, utcnow(), current_user)
    except outbox_service.OutboxError as exc:
        return _render_outbox(error=str(exc)), 409
    flash("Done." if action == "delivered" else "It will be sent again at the next sweep.")
    return redirect(url_for("clocks.outbox"))
