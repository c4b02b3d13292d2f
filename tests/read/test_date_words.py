"""Date forms in words: each offered form reads its own example to the date it shows."""

import pytest

from layers.read.date_words import NAMED_FORMS, named_form
from layers.read.mapping import FORM_KEYS, DateForm, date_readings, form_problem

WIDTHS = {"format": 10, "month_format": 7, "year_format": 4}
EXPECTED = {10: "2024-07-18", 7: "2024-07", 4: "2024"}


@pytest.mark.parametrize(
    ("key", "named"),
    [(key, named) for key in NAMED_FORMS for named in NAMED_FORMS[key]],
    ids=lambda item: item if isinstance(item, str) else item.words,
)
def test_each_named_form_reads_its_example_at_its_precision(key, named):
    assert form_problem(named.form) is None
    assert DateForm.of(named.form).width == WIDTHS[key]
    readings = date_readings(named.example, (named.form,), None)
    readings = [reading for reading in readings if reading.form == named.form]
    assert len(readings) == 1
    assert readings[0].text.startswith(EXPECTED[WIDTHS[key]])
    assert named_form(key, named.form) is named


def test_every_form_key_has_its_list_and_words_are_distinct():
    assert set(NAMED_FORMS) == set(FORM_KEYS)
    for forms in NAMED_FORMS.values():
        assert len({named.words for named in forms}) == len(forms)
        assert len({named.form for named in forms}) == len(forms)
    assert named_form("format", "%d/%m/%Y").label() == "day/month/year · 18/07/2024"
    assert named_form("format", "%d %m %Y") is None
