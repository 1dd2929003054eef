"""Form fields are written exactly as WTForms writes them, only without str.format."""

from __future__ import annotations

import pytest
import wtforms.widgets
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup
from wtforms import Form
from wtforms import RadioField
from wtforms import SelectField
from wtforms import StringField
from wtforms.validators import DataRequired
from wtforms.validators import Length

from breachdesk.web import widgets
from breachdesk.web.fields import as_choices

AWKWARD = ['"', "'", "<b>", "&amp;", "a\"onclick='x'", "\u00e9\u2019", "", "0", 0, 7, Markup("<i>")]


@pytest.mark.parametrize("value", AWKWARD)
@pytest.mark.parametrize("key", ["value", "class_", "for_", "data_text_id", "aria_describedby"])
def test_each_attribute_is_written_as_wtforms_writes_it(key, value):
    assert widgets.html_params(**{key: value}) == widgets.WTFORMS_HTML_PARAMS(**{key: value})


@given(
    st.dictionaries(
        st.from_regex(r"[a-z][a-z_]{0,12}", fullmatch=True),
        st.one_of(st.booleans(), st.integers(), st.text()),
        max_size=6,
    )
)
def test_any_attributes_are_written_as_wtforms_writes_them(attributes):
    assert widgets.html_params(**attributes) == widgets.WTFORMS_HTML_PARAMS(**attributes)


class Awkward(Form):
    name = StringField("Name", validators=[DataRequired(), Length(max=20)])
    kind = SelectField("Kind", choices=as_choices([("a", 'A "quoted" <one>'), ("b", "B & co")]))
    answer = RadioField("Answer", choices=as_choices([("yes", "Yes"), ("no", "No")]))


def rendered(form) -> list[str]:
    return [str(part) for field in form for part in (field.label(class_="q"), field())]


def test_a_whole_form_renders_the_same_either_way(app, monkeypatch):
    form = Awkward(data={"name": '"><script>', "kind": "b", "answer": "no"})
    ours = rendered(form)
    monkeypatch.setattr(widgets.core, "html_params", widgets.WTFORMS_HTML_PARAMS)
    monkeypatch.setattr(wtforms.widgets, "html_params", widgets.WTFORMS_HTML_PARAMS)
    for widget in (widgets.core.Input, widgets.core.Button):
        monkeypatch.setattr(widget, "html_params", staticmethod(widgets.WTFORMS_HTML_PARAMS))

    assert ours == rendered(form)
    assert 'value="&#34;&gt;&lt;script&gt;"' in ours[1]
    assert ours[0] == '<label class="q" for="name">Name</label>'


def test_every_widget_and_label_writes_its_attributes_this_way(app):
    writers = {
        wtforms.widgets.core.html_params,
        wtforms.widgets.html_params,  # what a field's label calls
        wtforms.widgets.core.Input.html_params,
        wtforms.widgets.core.Button.html_params,
    }

    assert writers == {widgets.html_params}
