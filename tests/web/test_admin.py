"""The DPO adds, disables and resets users in the app."""

from __future__ import annotations

from sqlalchemy import select

from breachdesk.domain.vocabulary import Role
from breachdesk.extensions import db
from breachdesk.models import User


def test_the_dpo_adds_a_user_with_several_roles(app, login_as):
    dpo = login_as("dana", Role.DPO)
    response = dpo.post(
        "/admin/users",
        {
            "username": "Jo.Smith",
            "display_name": "Jo Smith",
            "email": "jo@odl.example",
            "roles": ["staff", "it"],
            "password": "a temporary password",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        jo = db.session.scalar(select(User).where(User.username == "jo.smith"))
        assert jo.roles == {Role.STAFF, Role.IT}
        assert jo.must_change_password


def test_adding_a_user_with_a_short_password_or_no_role_changes_nothing(app, login_as):
    dpo = login_as("dana", Role.DPO)
    short = dpo.post(
        "/admin/users",
        {"username": "jo", "display_name": "Jo", "roles": ["staff"], "password": "short"},
    )
    assert short.status_code == 400
    assert "at least 12 characters" in short.get_data(as_text=True)
    no_role = dpo.post(
        "/admin/users", {"username": "jo", "display_name": "Jo", "password": "a temporary password"}
    )
    assert no_role.status_code == 400
    assert "at least one role" in no_role.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(User).where(User.username == "jo")) is None


def test_the_last_dpo_cannot_be_disabled(app, login_as):
    dpo = login_as("dana", Role.DPO)
    with app.app_context():
        dana_id = db.session.scalar(select(User.id).where(User.username == "dana"))
    response = dpo.post(f"/admin/users/{dana_id}/enabled", form_url=f"/admin/users/{dana_id}")
    assert response.status_code == 400
    assert "last DPO" in response.get_data(as_text=True)


def test_staff_and_it_cannot_manage_users(app, login_as):
    for name, role in (("sam", Role.STAFF), ("reliant", Role.IT)):
        user = login_as(name, role)
        assert user.get("/admin/users").status_code == 403
        response = user.client.post("/admin/users", data={"username": "x"})
        assert response.status_code in (400, 403)
