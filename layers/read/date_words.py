"""Date forms in words: the forms lists usually write, each as an analyst reads it ("day/month/
year", with an example) and as the mapping keeps it (a strptime form, docs/import.md *Dates*).

The import step offers these in a list so nobody has to write `%d/%m/%Y`; a mapping file keeps
the strptime form, so a mapping written by hand, by the step or by an older version reads the
same. Forms not in these lists are still written as strptime forms ("other").
"""

from __future__ import annotations

from dataclasses import dataclass

from layers.i18n import N_
from layers.read.mapping import ERA_FORM


@dataclass(frozen=True)
class NamedForm:
    """A date form: its strptime `form`, its `words` and an `example` of a date it reads."""

    form: str
    words: str
    example: str

    def label(self) -> str:
        """ "day/month/year · 18/07/2024": how a list of forms shows it (its words marked for
        the catalogue: the import step shows them in the reader's language)."""
        return f"{self.words} · {self.example}"


# Each form key of a rule (mapping.FORM_KEYS) with the forms offered for it, the usual first.
# ISO 8601 dates (2024-07-18, 2024-07, 2024) need no form: a blank form key reads only them.
NAMED_FORMS: dict[str, tuple[NamedForm, ...]] = {
    "format": (
        NamedForm("%Y-%m-%d", N_("year-month-day"), "2024-07-18"),
        NamedForm("%Y/%m/%d", N_("year/month/day"), "2024/07/18"),
        NamedForm("%d/%m/%Y", N_("day/month/year"), "18/07/2024"),
        NamedForm("%m/%d/%Y", N_("month/day/year"), "07/18/2024"),
        NamedForm("%d.%m.%Y", N_("day.month.year"), "18.07.2024"),
        NamedForm("%d-%m-%Y", N_("day-month-year"), "18-07-2024"),
        NamedForm("%d/%m/%y", N_("day/month/two-digit year"), "18/07/24"),
        NamedForm("%m/%d/%y", N_("month/day/two-digit year"), "07/18/24"),
        NamedForm("%d %b %Y", N_("day month-name year"), "18 Jul 2024"),
        NamedForm("%d %B %Y", N_("day full-month-name year"), "18 July 2024"),
        NamedForm("%b %d, %Y", N_("month-name day, year"), "Jul 18, 2024"),
        NamedForm("%B %d, %Y", N_("full-month-name day, year"), "July 18, 2024"),
        NamedForm("%Y年%m月%d日", N_("year年month月day日"), "2024年7月18日"),
        NamedForm(f"{ERA_FORM}年%m月%d日", N_("Japanese era or Minguo year"), "令和6年7月18日"),
        NamedForm("%Y-%m-%d %H:%M", N_("year-month-day hour:minute"), "2024-07-18 09:30"),
        NamedForm("%d/%m/%Y %H:%M", N_("day/month/year hour:minute"), "18/07/2024 09:30"),
        NamedForm("%d%H%MZ %b %y", N_("date-time group (UTC)"), "180930Z JUL 24"),
    ),
    "month_format": (
        NamedForm("%Y/%m", N_("year/month"), "2024/07"),
        NamedForm("%m/%Y", N_("month/year"), "07/2024"),
        NamedForm("%b %Y", N_("month-name year"), "Jul 2024"),
        NamedForm("%B %Y", N_("full-month-name year"), "July 2024"),
        NamedForm("%Y年%m月", N_("year年month月"), "2024年7月"),
        NamedForm(f"{ERA_FORM}年%m月", N_("Japanese era or Minguo year"), "令和6年7月"),
    ),
    "year_format": (
        NamedForm("%Y年", N_("year年"), "2024年"),
        NamedForm(f"{ERA_FORM}年", N_("Japanese era or Minguo year"), "令和6年"),
    ),
}


def named_form(key: str, form: str) -> NamedForm | None:
    """The named form of `key` ("format", "month_format", "year_format") that is `form`."""
    return next((named for named in NAMED_FORMS.get(key, ()) if named.form == form), None)
