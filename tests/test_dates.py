import datetime as dt

import pytest

from layers.dates import DateError, describe_date, describe_span, month_span, parse_period


@pytest.mark.parametrize(
    ("text", "first", "last", "precision"),
    [
        ("2024-07-18", dt.date(2024, 7, 18), dt.date(2024, 7, 18), "day"),
        ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29), "month"),
        ("2023-02", dt.date(2023, 2, 1), dt.date(2023, 2, 28), "month"),
        ("2017", dt.date(2017, 1, 1), dt.date(2017, 12, 31), "year"),
    ],
)
def test_a_date_covers_the_whole_period_its_form_names(text, first, last, precision):
    assert parse_period(text) == (first, last, precision)


@pytest.mark.parametrize(
    "text", ["2024-13-01", "2024-13", "2024-02-30", "18/07/2024", "July 2024", "24-07", "", 2024]
)
def test_what_is_not_an_iso_date_is_refused_with_the_forms_to_use(text):
    with pytest.raises(DateError, match="is not a date .use YYYY-MM-DD, YYYY-MM or YYYY"):
        parse_period(text)


@pytest.mark.parametrize(
    ("start", "end", "said"),
    [
        ("2024-07", "", "July 2024"),
        ("2024-07-18", None, "18 July 2024"),
        ("2024-07-10", "2024-07-17", "10 July 2024 – 17 July 2024"),
        ("2017-12", "2017-12", "December 2017"),
        ("2024", "", "2024"),
    ],
)
def test_dates_are_said_with_no_more_precision_than_known(start, end, said):
    assert describe_span(start, end) == said


def test_describe_date_of_a_month():
    assert describe_date("2023-08") == "August 2023"


def test_month_span_crosses_a_year_end():
    assert month_span("2023-11", "2024-02") == ["2023-11", "2023-12", "2024-01", "2024-02"]
