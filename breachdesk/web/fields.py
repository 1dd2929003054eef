"""Form fields shared by several blueprints."""

from __future__ import annotations

from wtforms import DateTimeLocalField
from wtforms import IntegerField
from wtforms import SelectMultipleField
from wtforms import widgets
from wtforms.fields.choices import SelectChoice

from breachdesk.domain.date_limits import EARLIEST
from breachdesk.domain.date_limits import EARLIEST_WORDS
from breachdesk.timeutil import local_input_to_utc
from breachdesk.timeutil import utc_to_local_input


class LocalDateTimeField(DateTimeLocalField):
    """A date and time typed in Europe/London, handed to the code as aware UTC."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("format", ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"])
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist) -> None:
        super().process_formdata(valuelist)
        if self.data is None:
            return
        if not EARLIEST.year <= self.data.year < 9000:
            # Refused before any calculation: year 1 or 9999 would overflow one.
            self.data = None
            raise ValueError(f"Check the year: give a date from {EARLIEST_WORDS} to now.")
        if self.data.tzinfo is None:
            self.data = local_input_to_utc(self.data)

    def _value(self) -> str:
        """Show what was typed, or the instant in UK time: never UTC, which would shift it."""
        if self.raw_data:
            return " ".join(self.raw_data)
        if self.data is None:
            return ""
        return (
            utc_to_local_input(self.data)
            if self.data.tzinfo
            else self.data.strftime("%Y-%m-%dT%H:%M")
        )


class CheckboxListField(SelectMultipleField):
    """A list of checkboxes rather than a multi-select box, which is awkward on a phone."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def as_choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(value, label) for value, label in pairs]


class CountField(IntegerField):
    """A whole number, with a plain message when what was typed is not one."""

    def process_formdata(self, valuelist) -> None:
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = int(valuelist[0].strip().replace(",", ""))
        except ValueError as exc:
            self.data = None
            raise ValueError(
                "Enter a number, like 40, or leave it blank if you don't know."
            ) from exc


def strip_text(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value
