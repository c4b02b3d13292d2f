"""The import step: a file not in the event format, read with a mapping the analyst corrects
in widgets, its first rows previewed live as events on a map of their own."""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from dashboard_ui.text import markdown_text, text_table
from layers.aggregate import DETAIL_LIMIT, map_window
from layers.dates import ZoneError
from layers.export.tables import events_geojson
from layers.filters import data_months
from layers.i18n import (
    CLDR_LOCALES,
    N_,
    Message,
    _,
    current_language,
    localized,
    ngettext,
    number,
    pgettext,
)
from layers.map.basemap import base_map
from layers.map.data import MapData
from layers.map.view import fitted_view, view_layers
from layers.nations import CLDR_VERSION, nation_code, nation_label
from layers.read.date_words import NAMED_FORMS, named_form
from layers.read.encoding import USUAL_ENCODINGS, encoding_label
from layers.read.guess import (
    column_samples,
    guess_mapping,
    guess_notes,
    matched_values,
    unknown_values,
)
from layers.read.mapping import (
    ERA_FORM,
    SIDE_FIELDS,
    TRACK_KEYS,
    Mapping,
    MappingError,
    Rule,
    date_readings,
    mapping_toml,
    parse_mapping,
    source_zone,
)
from layers.read.schema import KIND_LABELS, KINDS, Problem, clip
from layers.read.upload import Upload, ids_taken, import_upload, upload_table
from layers.view import View

# The import step (a file not in the event format, read with a mapping the analyst corrects).
PREVIEW_ROWS = 200  # the preview reads this many rows; "Add to the map" reads them all
PREVIEW_MAP_HEIGHT = 340
PREVIEW_PROBLEMS = 6  # more problems than this scroll in the height of the preview map
# Choices beside the file's columns in a field's selectbox ("\0" is in no column name).
NONE, TEMPLATE, VALUE, FIXED_KIND = "\0none", "\0template", "\0value", "\0kind:"
OTHER_FORM = "\0other"  # a date form written as strptime, not one of NAMED_FORMS
ISO_EXAMPLES = {"format": "2024-07-18", "month_format": "2024-07", "year_format": "2024"}
# Each field of the form: its label, the choices it offers besides a column, and whether
# every event needs it. Laid out in four columns (FORM_WIDTHS), in this order.
FORM_FIELDS = (
    {
        "title": (N_("Title"), (TEMPLATE,), True),
        "summary": (N_("Summary"), (TEMPLATE,), False),
        "id": (N_("Id"), (TEMPLATE,), False),
    },
    {
        "kind": (N_("Kind"), (FIXED_KIND,), True),
        "nations": (N_("Nations"), (VALUE,), True),
        "forces": (N_("Forces (ships, units)"), (), False),
    },
    {
        "start": (N_("Start date"), (), True),
        "end": (N_("End date"), (), False),
    },
    {
        "source_url": (N_("Source link of each row"), (), False),
        "location_precision_km": (N_("Location known to within (km)"), (VALUE,), False),
    },
)
FORM_WIDTHS = (1, 1, 1.2, 1)
DATE_FORMS = {
    "format": N_("Day form"),
    "month_format": N_("Month form"),
    "year_format": N_("Year form"),
}
GEOMETRY_CHOICES = {
    "lat": N_("latitude and longitude columns"),
    "wkt": N_("a WKT column"),
    "area": N_("a named area"),
    "points": N_("a column of points"),
}
# The preview's table: its columns' headings (the data's own field names, in the reader's
# language; the cells stay as the file writes them).
PREVIEW_HEADINGS = {
    "id": N_("id"),
    "title": N_("title"),
    "kind": N_("kind"),
    "start": N_("start"),
    "end": N_("end"),
    "nations": N_("nations"),
    "area": N_("area"),
}


def counted(count: int, noun: str) -> str:
    """ "1 row", "12 rows", "1,200 events": a count with its noun, in the reader's language
    (English as `plural` writes it). `noun` is one of the things an import counts."""
    if noun == "feature":
        text = ngettext("{count} feature", "{count} features", count)
    elif noun == "record":
        text = ngettext("{count} record", "{count} records", count)
    elif noun == "warning":
        text = ngettext("{count} warning", "{count} warnings", count)
    elif noun == "event":
        text = ngettext("{count} event", "{count} events", count)
    elif noun == "problem":
        text = ngettext("{count} problem", "{count} problems", count)
    elif noun == "column":
        text = ngettext("{count} column", "{count} columns", count)
    else:
        text = ngettext("{count} row", "{count} rows", count)
    return text.format(count=number(count))


def noun_word(noun: str, many: bool = False) -> str:
    """What an import counts, as a word: "row", or with `many` "rows" (a feature of a GIS
    file, a record of NGA's warnings, a warning)."""
    if many:
        words = {
            "feature": pgettext("things read", "features"),
            "record": pgettext("things read", "records"),
            "warning": pgettext("things read", "warnings"),
        }
        return words.get(noun) or pgettext("things read", "rows")
    words = {
        "feature": pgettext("thing read", "feature"),
        "record": pgettext("thing read", "record"),
        "warning": pgettext("thing read", "warning"),
    }
    return words.get(noun) or pgettext("thing read", "row")


def nation_text(code: str) -> str:
    """ "Japan (JPN)" in the reader's language: 日本 (JPN)."""
    return nation_label(code, CLDR_LOCALES[current_language()])


def uploaded_mapping(mapping_file) -> tuple[Mapping | None, list[str]]:
    """The mapping uploaded with a list, or None and what is wrong with it; read once."""
    if mapping_file is None:
        return None, []
    cache = st.session_state.setdefault("upload_cache", {})
    key = ("mapping", mapping_file.file_id)
    if key not in cache:
        try:
            cache[key] = (parse_mapping(mapping_file.getvalue().decode("utf-8-sig")), [])
        except UnicodeDecodeError:
            cache[key] = (None, [Message("is not UTF-8 text")])
        except MappingError as error:
            cache[key] = (None, error.problems)
    return cache[key]


def import_source(file, mapping_file, sheet: str | None, encoding: str | None):
    """The mapping the import step starts from (the uploaded one, or a guess), the file's rows
    read from `sheet` in `encoding` (None: the mapping's, else the first visible sheet and the
    detected encoding), and what is wrong with an uploaded mapping; read once for each."""
    mapping, problems = uploaded_mapping(mapping_file)
    source = mapping.source if mapping else {}
    sheet = sheet or source.get("sheet")
    encoding = encoding or source.get("encoding")
    cache = st.session_state.setdefault("upload_cache", {})
    key = ("import", file.file_id, mapping_file.file_id if mapping_file else None, sheet, encoding)
    if key not in cache:
        # One reading of a file is kept: another sheet or encoding replaces the last one.
        for old in [old for old in cache if old[:3] == key[:3] and old != key]:
            del cache[old]
        table = upload_table(file.name, file.getvalue(), sheet, encoding)
        guess = mapping or guess_mapping(table, file.name)
        cache[key] = (guess, table, problems, column_summary(table))
    return cache[key]


def column_summary(table) -> list[tuple[str, int, list[str]]]:
    """Each column of `table` with how many rows fill it and a few of its values (read once
    per reading of the file, not on every rerun of the step)."""
    filled = {column: 0 for column in table.columns}
    for _number, row in table.rows:
        for column in filled:
            if row.get(column):
                filled[column] += 1
    return [(column, filled[column], values) for column, values in column_samples(table)]


@st.fragment
def import_step(waiting: list[tuple], data: dict) -> None:
    """The import step for a file not in the event format: its columns, the mapping as
    widgets (a guess, or the uploaded mapping), a live preview of its first rows as events on
    a map and in a table with their problems, and the three ways out.

    A fragment: correcting a field reruns only this step, not the map and table below.
    """
    state = st.session_state
    file, mapping_file = waiting[0]
    if len(waiting) > 1:
        names = {file.file_id: file.name for file, _mapping in waiting}
        if state.get("import_choice") not in names:
            state["import_choice"] = waiting[0][0].file_id
        chosen = st.selectbox(
            _("Files waiting to be imported"),
            list(names),
            format_func=names.get,
            key="import_choice",
        )
        file, mapping_file = next(pair for pair in waiting if pair[0].file_id == chosen)
    prefix = f"import:{file.file_id}:{mapping_file.file_id if mapping_file else 'guess'}:"
    base, table, toml_problems, columns = import_source(
        file, mapping_file, state.get(prefix + "sheet"), chosen_encoding(prefix)
    )
    geodata = data["geodata"]
    taken = ids_taken(geodata.events, [])

    with st.container(border=True, key="import_step"):
        st.subheader(_("Import {file}").format(file=markdown_text(file.name)), anchor=False)
        how = (
            _("with the mapping {mapping}").format(mapping=markdown_text(mapping_file.name))
            if mapping_file is not None and not toml_problems
            else _("with a first guess at how its columns become events: check every field")
        )
        st.caption(
            _(
                "{rows}, not in the event format; read {how}. The preview below follows each "
                "change. Nothing is saved: add the events to this session's map, or download "
                "the mapping and the events."
            ).format(rows=counted(len(table.rows), table.noun), how=how)
        )
        for problem in toml_problems:
            st.error(
                _(
                    "The mapping {mapping} cannot be used, so the step starts from a guess: "
                    "{problem}"
                ).format(
                    mapping=markdown_text(mapping_file.name),
                    problem=markdown_text(localized(problem)),
                )
            )
        reading = reading_widgets(prefix, table, base)
        for note in table.notes:  # how the file was read: the sheet, the encoding, merges
            note = localized(note)
            st.caption(f"ⓘ {markdown_text(note[:1].upper() + note[1:])}")
        show_columns(table, columns)
        notes_place = st.empty()
        # Another sheet or encoding is another table: its fields start from its own guess.
        form = f"{prefix}{table.sheet or ''}|{table.encoding or ''}:"
        mapping = mapping_form(form, base, table, geodata, data.get("area_names"))
        mapping = replace(mapping, source={**mapping.source, **reading})
        notes = guess_notes(table, mapping)
        if notes:
            with notes_place:
                st.warning("  \n".join(markdown_text(localized(note)) for note in notes), icon="✍️")
        whole = len(table.rows) <= PREVIEW_ROWS or state.get(form + "preview_all", False)
        rows = None if whole else PREVIEW_ROWS
        preview = import_upload(file.name, table, mapping, taken, geodata.areas, rows=rows)
        show_preview(form, preview, table, geodata.areas, rows, "group" in mapping.geometry)

        blocked = any(problem.field == "mapping" for problem in preview.problems)
        stem = file.name.rsplit(".", 1)[0] or "list"
        add_column, toml_column, geojson_column = st.columns(3)
        added = add_column.button(
            _("Add to the map"),
            type="primary",
            key=form + "add",
            disabled=blocked,
            width="stretch",
            help=_("Adds the valid events of every row to this session's map, marked uploaded."),
        )
        toml_column.download_button(
            _("Download mapping"),
            mapping_toml(mapping).encode(),
            file_name=f"{stem}.mapping.toml",
            mime="application/toml",
            key=form + "toml",
            on_click="ignore",
            width="stretch",
            help=_(
                "The mapping as TOML: upload it with the next version of the list, or use it "
                "with python -m layers.convert."
            ),
        )
        geojson_column.download_button(
            _("Download GeoJSON"),
            lambda: events_geojson(
                import_upload(file.name, table, mapping, taken, geodata.areas).events
            ),
            file_name=f"{stem}.geojson",
            mime="application/geo+json",
            key=form + "geojson",
            on_click="ignore",
            disabled=blocked,
            width="stretch",
            help=_("The valid events of every row, ready for geodata/events/."),
        )
        with st.expander(_("The mapping as TOML")):
            st.code(mapping_toml(mapping), language="toml")
    if added:
        upload = import_upload(file.name, table, mapping, taken, geodata.areas)
        state.setdefault("imported", {})[file.file_id] = {
            "mapping": mapping,
            "upload": upload,
            "version": geodata.version,
        }
        with_problems = sum(problem.skipped for problem in upload.problems)
        skipped = upload.left_out.summary(table.noun)
        flash = _("Added {events} from {file}").format(
            events=counted(len(upload.events), "event"), file=markdown_text(file.name)
        )
        if skipped:
            flash += _("; {left_out}").format(left_out=markdown_text(localized(skipped)))
        if with_problems:
            flash += _("; {rows} left out for problems (see Data problems).").format(
                rows=counted(with_problems, table.noun)
            )
        else:
            flash += pgettext("end of a sentence", ".")
        state["import_flash"] = flash
        st.rerun()


def chosen_encoding(prefix: str) -> str | None:
    """The encoding the analyst chose in the import step, or None (the mapping's, or detected)."""
    picked = st.session_state.get(prefix + "encoding")
    return None if picked in (None, NONE) else picked


def reading_widgets(prefix: str, table, base: Mapping) -> dict[str, str]:
    """How the file is read, where it can be read more than one way: the sheet of a workbook
    with several, the encoding of a text that is not UTF-8. Returns the [source] keys that
    say the analyst's choice (the downloaded mapping keeps them)."""
    chosen: dict[str, str] = {}
    sheets = list(table.sheets)
    if table.sheet and table.sheet not in sheets:
        sheets.append(table.sheet)  # a hidden sheet the mapping names stays shown
    if len(sheets) > 1:
        key = prefix + "sheet"
        st.session_state.setdefault(key, table.sheet or sheets[0])
        column, _rest = st.columns([1, 2])
        chosen["sheet"] = column.selectbox(
            _("Sheet"),
            sheets,
            key=key,
            help=_("The workbook's visible sheets (a mapping's sheet = \"…\" picks one too)."),
        )
    detected = table.encoding is not None and table.encoding not in ("utf_8", "utf_8_sig")
    if table.encodings or detected or chosen_encoding(prefix):
        key = prefix + "encoding"
        undecided = not table.columns and bool(table.encodings)  # a question, not a guess
        offered = [*filter(None, [table.encoding]), *table.encodings, *USUAL_ENCODINGS]
        column, _rest = st.columns([1, 2])
        picked = column.selectbox(
            _("Text encoding"),
            [NONE, *dict.fromkeys(offered)],
            format_func=lambda name: (
                (_("— choose —") if undecided else _("— as detected —"))
                if name == NONE
                else encoding_label(name)
            ),
            key=key,
            help=_(
                "The file is not UTF-8: the encoding it was written in. Letters that look "
                "wrong in the columns below mean another encoding."
            ),
        )
        if picked not in (None, NONE):
            chosen["encoding"] = picked
    return chosen


def show_columns(table, columns: list[tuple[str, int, list[str]]]) -> None:
    """The file's columns (`column_summary`), one line each with how many rows fill it and a
    few of its values, so the table reads as a list of columns, not as rows of the file."""
    if not columns:
        return
    st.markdown(
        _("**The file's {columns}**, with a few of their values").format(
            columns=counted(len(columns), "column")
        )
    )
    text_table(
        {
            _("column"): [column for column, _filled, _values in columns],
            _("filled (of {count})").format(count=number(len(table.rows))): [
                number(filled) for _column, filled, _values in columns
            ],
            _("values, for example"): [" · ".join(values) for _column, _filled, values in columns],
        },
        height=min(35 * (len(columns) + 1) + 3, 250),
    )


def mapping_form(prefix: str, base: Mapping, table, geodata, area_names=None) -> Mapping:
    """The mapping as widgets, started from `base`; returns the mapping they now say."""
    state = st.session_state
    columns = list(table.columns)
    # Columns an uploaded mapping names that the file lacks stay choosable, so the problem
    # is reported instead of the choice being dropped silently.
    columns += [column for column, _where in base.columns() if column not in columns]
    columns = list(dict.fromkeys(columns))
    fields: dict[str, Rule] = {}
    samples = date_samples(table)
    grid = st.columns(FORM_WIDTHS, gap="small")
    for grid_column, group in zip(grid, FORM_FIELDS, strict=True):
        with grid_column:
            for name in group:
                rule = field_widgets(prefix, name, base.fields.get(name), columns, samples)
                if rule is not None:
                    fields[name] = rule
    with grid[-1]:
        title_key = prefix + "source.title"
        state.setdefault(title_key, base.source.get("title", ""))
        title = st.text_input(_("Source title (cited by every event)"), key=title_key)
        zone_key = prefix + "source.timezone"
        state.setdefault(zone_key, base.source.get("timezone", ""))
        zone = st.text_input(
            _("Time zone of times written without one"),
            key=zone_key,
            placeholder=_("+08:00 or Asia/Taipei"),
            help=_(
                "A time with no Z or offset (2024-07-19 08:00) is the list's local time: "
                "without its zone only the date is kept. Times that write their offset keep it."
            ),
        ).strip()
        if zone:
            try:
                source_zone(zone)
            except ValueError as error:
                said = localized(error.args[0]) if error.args else str(error)
                st.error(
                    _("{error}; times without a zone keep only their date.").format(error=said)
                )
                zone = ""
    # What a column's values become, where the field cannot take them as they are.
    editing = [
        name for name in ("nations", "kind") if name in fields and fields[name].column is not None
    ]
    for editor_column, name in zip(st.columns(2), editing):
        with editor_column:
            old = base.fields.get(name)
            values = values_editor(prefix, name, table, fields[name], old.values if old else {})
            fields[name] = replace(fields[name], values=values)
    geometry = geometry_widgets(prefix, base.geometry, columns, geodata.areas, area_names)
    if "time" in geometry:  # a track's dates are its first and last times (docs/import.md)
        fields = {name: rule for name, rule in fields.items() if name not in ("start", "end")}
        st.caption(
            _(
                "Each event's dates are the dates of its first and last time (the time "
                "column): the start and end chosen above are not used."
            )
        )
    source = {key: value for key, value in base.source.items() if key not in ("title", "timezone")}
    if title.strip():
        source = {"title": title.strip(), **source}
    if zone:
        source["timezone"] = zone
    # side_a and side_b (who stood against whom) have no widgets: kept as the uploaded
    # mapping gives them, never dropped for lack of one.
    fields |= {name: base.fields[name] for name in SIDE_FIELDS if name in base.fields}
    # [[skip]] and [counts] have no widgets: kept as the uploaded mapping gives them.
    return replace(base, source=source, fields=fields, geometry=geometry)


def field_widgets(
    prefix: str,
    name: str,
    rule: Rule | None,
    columns: list[str],
    samples: dict[str, list[str]] | None = None,
) -> Rule | None:
    """One field's widgets and the rule they say, keeping what the form does not show (an
    uploaded mapping's `values` and `unit`) while the field still reads the same source: an
    uploaded mapping's level "6" = 800 km is never dropped for lack of a widget. `samples`:
    a few values of each column, to show a date form's reading of one."""
    said = source_widgets(prefix, name, rule, columns, samples or {})
    if rule is None or said is None or _source(rule) != _source(said):
        return said
    hidden = {key: getattr(rule, key) for key in ("values", "unit") if not getattr(said, key)}
    return replace(said, **hidden)


def _source(rule: Rule) -> tuple:
    """Where a rule reads from: its column, template or fixed value (a number as text)."""
    value = rule.value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return rule.column, rule.template, None if value is None else str(value)


def source_widgets(
    prefix: str,
    name: str,
    rule: Rule | None,
    columns: list[str],
    samples: dict[str, list[str]] | None = None,
) -> Rule | None:
    """One field's widgets: where its value comes from (a column, a template, a fixed value,
    nothing) and, as it needs them, its date forms or how a list is split."""
    label, extra, required = next(group[name] for group in FORM_FIELDS if name in group)
    label = _(label)
    state = st.session_state
    key = prefix + name
    options = [NONE]
    if FIXED_KIND in extra:
        options += [FIXED_KIND + kind for kind in KINDS]
    if VALUE in extra:
        options.append(VALUE)
    options += columns
    if TEMPLATE in extra:
        options.append(TEMPLATE)
    if key not in state:
        state[key] = initial_choice(name, rule, options)
    for suffix, value in (
        (".template", (rule.template or str(rule.value or "")) if rule else ""),
        (".value", "" if rule is None or rule.value is None else str(rule.value)),
        (".split", rule.split or "" if rule else ""),
        *((f".{form}", forms_text(getattr(rule, form)) if rule else "") for form in DATE_FORMS),
    ):
        state.setdefault(key + suffix, value)
    for form in DATE_FORMS:
        given = getattr(rule, form) if rule else None
        # A form the list names is chosen in it; any other (several forms, a form of its own)
        # shows as written, under "other".
        named = named_form(form, given) if isinstance(given, str) else None
        initial = NONE if given is None else named.form if named else OTHER_FORM
        state.setdefault(f"{key}.{form}.choice", initial)

    def choice_label(option: str) -> str:
        if option == NONE:
            if name == "id":
                return _("— a hash of the row —")
            return _("— choose —") if required else _("— none —")
        if option.startswith(FIXED_KIND):
            return _("{kind} (every row)").format(kind=KIND_LABELS[option[len(FIXED_KIND) :]])
        if option == TEMPLATE:
            return _("a template of columns…")
        if option == VALUE:
            return _("the same for every row…")
        return option

    choice = st.selectbox(label, options, format_func=choice_label, key=key)
    empty = Rule(value="") if required else None
    if choice == NONE or choice is None:
        return empty
    if choice.startswith(FIXED_KIND):
        return Rule(value=choice[len(FIXED_KIND) :])
    if choice == TEMPLATE:
        template = st.text_input(
            _("{field}: template").format(field=label),
            key=key + ".template",
            help=_("Column names in braces, {row} for the row number: e.g. {Ship} ×{Count}"),
        ).strip()
        return Rule(template=template) if template else empty
    split = None
    if name in ("nations", "forces"):
        split = st.text_input(
            _("{field}: split at").format(field=label),
            key=key + ".split",
            help=_("A regular expression where a cell splits into several: e.g. [;,+]"),
        ).strip()
        if split:
            try:
                re.compile(split)
            except re.error:
                st.error(_("Not a regular expression; the cells are not split."))
                split = None
    if choice == VALUE:
        text = st.text_input(_("{field}: value").format(field=label), key=key + ".value")
        text = text.strip()
        if not text:
            return empty
        if name == "location_precision_km":
            try:
                return Rule(value=float(text))
            except ValueError:
                return Rule(value=text)
        return Rule(value=text, split=split or None)
    forms = {}
    if name in ("start", "end"):
        values_read = (samples or {}).get(choice, [])
        for form in DATE_FORMS:
            forms[form] = date_form_widgets(f"{key}.{form}", form, values_read)
    values = rule.values if rule is not None and rule.column == choice else {}
    return Rule(column=choice, split=split or None, values=values, **forms)


def date_samples(table, count: int = 20) -> dict[str, list[str]]:
    """Up to `count` distinct non-empty values of each column, for the date forms' examples."""
    found: dict[str, list[str]] = {column: [] for column in table.columns}
    for _number, row in table.rows[:2000]:
        for column, values in found.items():
            value = (row.get(column) or "").strip()
            if value and len(values) < count and value not in values:
                values.append(value)
    return found


def date_form_widgets(key: str, form_key: str, values: list[str]) -> str | tuple[str, ...] | None:
    """One date form of a field as a list of forms in words ("day/month/year · 18/07/2024"),
    ISO dates only, or another form written as strptime; under it, a value of the column as
    the form reads it. Returns the form(s) for the mapping (strptime, as the TOML keeps them)."""
    named = {form.form: form for form in NAMED_FORMS[form_key]}
    choice = st.selectbox(
        _(DATE_FORMS[form_key]),
        [NONE, *named, OTHER_FORM],
        key=key + ".choice",
        format_func=lambda option: (
            _("— none: ISO only ({example}) —").format(example=ISO_EXAMPLES[form_key])
            if option == NONE
            else _("other: write the form…")
            if option == OTHER_FORM
            else f"{_(named[option].words)} · {named[option].example}"
        ),
        help=date_form_help(form_key),
    )
    if choice == NONE:
        return None
    if choice == OTHER_FORM:
        forms = typed_forms(
            st.text_input(
                _("{form}: strptime").format(form=_(DATE_FORMS[form_key])),
                key=key,
                placeholder={"format": "%d/%m/%Y", "month_format": "%Y/%m"}.get(form_key, "%Y"),
                help=_(
                    "strptime: %d day, %m month, %Y year, %b month name, %H:%M a time, "
                    "{era} an era and its year (令和6年, 民國113年); e.g. %d/%m/%Y for "
                    "18/07/2024. Several forms: separate them with | (%m/%d/%y | %m/%d/%Y)."
                ).replace("{era}", ERA_FORM),
            )
        )
    else:
        forms = choice
    if forms is not None and values:
        st.caption(form_example(forms, values))
    return forms


def date_form_help(form_key: str) -> str:
    """The help of a date form's choice: what the column writes, to the day, month or year."""
    if form_key == "format":
        return _(
            "How the column writes a date given to the day. ISO dates (2024-07-18, 2024-07, "
            "2024, 2024-07-18T02:00Z) are read without one."
        )
    if form_key == "month_format":
        return _(
            "How the column writes a date given only to the month. ISO dates (2024-07-18, "
            "2024-07, 2024, 2024-07-18T02:00Z) are read without one."
        )
    return _(
        "How the column writes a date given only to the year. ISO dates (2024-07-18, "
        "2024-07, 2024, 2024-07-18T02:00Z) are read without one."
    )


def form_example(forms: str | tuple[str, ...], values: list[str]) -> str:
    """A value of the column as the form(s) read it ("18/07/2024 → 2024-07-18"), or that none
    of the first values reads in them; escaped for markdown (the values are the file's)."""
    chosen = (forms,) if isinstance(forms, str) else tuple(forms)
    for value in values:
        try:
            readings = date_readings(value, chosen, None)
        except ZoneError:
            continue
        read = [reading for reading in readings if reading.form in chosen]
        if read:
            return f"{markdown_text(clip(value, 40))} → {read[0].text}"
    return _("None of the first values reads in this form: {value}").format(
        value=markdown_text(clip(values[0], 40))
    ) + (" …" if len(values) > 1 else "")


def forms_text(forms: str | tuple[str, ...] | None) -> str:
    """A rule's form key as the page writes it: one form, or several separated by " | "."""
    if forms is None:
        return ""
    return forms if isinstance(forms, str) else " | ".join(forms)


def typed_forms(text: str) -> str | tuple[str, ...] | None:
    """The forms typed on the page: None, one form, or a tuple of the forms between "|"."""
    forms = tuple(dict.fromkeys(part.strip() for part in text.split("|") if part.strip()))
    if not forms:
        return None
    return forms[0] if len(forms) == 1 else forms


def initial_choice(name: str, rule: Rule | None, options: list[str]) -> str:
    if rule is None:
        return NONE
    if rule.column is not None:
        return rule.column if rule.column in options else NONE
    if rule.template is not None:
        return TEMPLATE if TEMPLATE in options else NONE
    if rule.value in (None, ""):
        return NONE
    if FIXED_KIND + str(rule.value) in options:
        return FIXED_KIND + str(rule.value)
    if VALUE in options:
        return VALUE
    return TEMPLATE if TEMPLATE in options else NONE


def values_editor(prefix: str, name: str, table, rule: Rule, initial: dict) -> dict[str, str]:
    """A small table for the values of a column the field cannot take as they are (nations
    `nation_code` does not know, texts that are no kind): what each becomes. For nations, the
    values known by name are listed above it with the nation each became (日本 → Japan (JPN)),
    and below it what each name typed into it became."""
    found = unknown_values(table, rule, name)
    rows = list(dict.fromkeys([*found, *initial]))
    store = prefix + name + ".values"
    current = st.session_state.setdefault(store, dict(initial))
    if name == "nations":
        show_matched(matched_values(table, rule))
    if not rows:
        return {}
    digest = hashlib.sha1("\0".join(rows).encode()).hexdigest()[:10]
    key = f"{prefix}{name}.editor.{digest}"
    # The editor's data stays what the values were when it first showed these rows, and its
    # edits live in its own state (key), as Streamlit's docs have it: fed its own output, its
    # data would change on every run under the cells being edited (Streamlit then reconciles
    # each edit against the new data). New rows (another split) start from the values so far.
    current = st.session_state.setdefault(key + ".start", dict(current))
    if name == "nations":
        frame = pd.DataFrame(
            {
                "in the file": rows,
                "nation": [current.get(value, "") for value in rows],
                "leave out": [current.get(value) == "" and value in current for value in rows],
            }
        )
        config = {
            "in the file": st.column_config.TextColumn(_("in the file"), disabled=True),
            "nation": st.column_config.TextColumn(
                _("nation"),
                help=_("An ISO code or a nation's name in any language: CHN, China, 中国"),
            ),
            "leave out": st.column_config.CheckboxColumn(
                _("leave out"), help=_("Not a nation: drop it")
            ),
        }
        # Text composed by an input method into a cell that is not open yet is lost by the
        # grid (Streamlit's data editor, 1.67): the analyst is told to open the cell first.
        caption = _(
            "Nation values not known here: give each a code (CHN) or a nation's name in any "
            "language (China, 中国), or leave it out. With an input method (日本), open the cell "
            "first (double-click it, or Enter), then type."
        )
    else:
        frame = pd.DataFrame(
            {
                "in the file": rows,
                "kind": [current.get(value) or None for value in rows],
            }
        )
        config = {
            "in the file": st.column_config.TextColumn(_("in the file"), disabled=True),
            "kind": st.column_config.SelectboxColumn(
                _("kind"), options=list(KINDS), format_func=lambda kind: KIND_LABELS[kind]
            ),
        }
        caption = _("Kind values that are no kind: choose the kind each stands for.")
    st.caption(caption)
    edited = st.data_editor(
        frame,
        key=key,
        hide_index=True,
        width="stretch",
        column_config=config,
        height=min(35 * (len(rows) + 1) + 3, 220),
    )
    values = {}
    typed_names = []
    for record in edited.to_dict("records"):
        value = record["in the file"]
        if name == "nations":
            typed = str(record.get("nation") or "").strip()
            if record.get("leave out"):
                values[value] = ""
            elif typed:
                values[value] = nation_code(typed) or typed
                if values[value] != typed:
                    typed_names.append((value, typed, values[value]))
        elif record.get("kind"):
            values[value] = str(record["kind"])
    if typed_names:
        st.caption(
            _("Typed: {values}").format(
                values=" · ".join(
                    f"{markdown_text(value)}: {markdown_text(typed)} → {nation_text(code)}"
                    for value, typed, code in typed_names
                )
            )
        )
    st.session_state[store] = values
    return values


def show_matched(matched: list[tuple[str, str]]) -> None:
    """The nation values known by a name (CLDR's names in every language, ISO's English
    names, the usual short forms), each with the nation it became, so a match can be checked:
    "日本 → Japan (JPN)"."""
    if not matched:
        return
    shown = " · ".join(
        f"{markdown_text(value)} → {nation_text(code)}" for value, code in matched[:30]
    )
    more = (
        _(" and {count} more").format(count=number(len(matched) - 30)) if len(matched) > 30 else ""
    )
    st.caption(
        _("Nation values known by name (Unicode CLDR {version}, ISO 3166): {values}.").format(
            version=CLDR_VERSION, values=shown + more
        )
    )


def geometry_widgets(prefix: str, base: dict, columns: list[str], areas, area_names=None) -> dict:
    """Where each event is: latitude and longitude columns, a WKT column, a named area (the
    list gives no position), or an uploaded mapping's column of points."""
    position = position_widgets(prefix, base, columns, areas, area_names)
    if not position or "area" in position:
        return position
    return {**position, **track_widgets(prefix, base, columns)}


def track_widgets(prefix: str, base: dict, columns: list[str]) -> dict:
    """The keys that gather rows into one event (docs/import.md, *Tracks*): the column whose
    value groups rows, each row's time and the gap that starts a new event (times written
    without a zone take the source's time zone, above). An uploaded mapping's are shown and
    kept."""
    state = st.session_state
    key = prefix + "geometry.track."
    given = {name: base.get(name) for name in TRACK_KEYS}
    options = [NONE, *columns]

    def label(option: str) -> str:
        return _("— none: one event per row —") if option == NONE else option

    with st.expander(_("Tracks: one event of many rows"), expanded=bool(given["group"])):
        group_column, time_column, gap_column = st.columns(3, gap="small")
        picked = {}
        for column, name, title in (
            (group_column, "group", _("Rows with the same value are one event")),
            (time_column, "time", _("Each row's time (ISO 8601)")),
        ):
            state.setdefault(key + name, given[name] if given[name] in options else NONE)
            with column:
                chosen = st.selectbox(title, options, key=key + name, format_func=label)
            if chosen not in (NONE, None):
                picked[name] = chosen
        state.setdefault(key + "split_gap", given["split_gap"] or "")
        with gap_column:
            written = st.text_input(
                _("New event after a gap of"), key=key + "split_gap", placeholder="6h"
            )
        if written.strip():
            picked["split_gap"] = written.strip()
    return picked


def position_widgets(prefix: str, base: dict, columns: list[str], areas, area_names=None) -> dict:
    """Where each event is: latitude and longitude columns, a WKT column, a named area (the
    list gives no position), or an uploaded mapping's column of points."""
    state = st.session_state
    key = prefix + "geometry"
    choices = ["lat", "wkt", "area"] + (["points"] if "points" in base else [])
    first = next((name for name in base if name not in TRACK_KEYS), "lat")
    state.setdefault(key, "lat" if first == "lon" else first)
    choice = st.radio(
        _("Position from"),
        choices,
        format_func=lambda choice: _(GEOMETRY_CHOICES[choice]),
        key=key,
        horizontal=True,
    )
    options = [NONE, *columns]

    def pick(label: str, part: str, given: object, choosable: list[str], **kwargs) -> str | None:
        part_key = f"{key}.{part}"
        state.setdefault(part_key, given if given in choosable else NONE)
        picked = st.selectbox(label, choosable, key=part_key, **kwargs)
        return None if picked in (NONE, None) else picked

    def column_label(option: str) -> str:
        return _("— choose —") if option == NONE else option

    if choice == "lat":
        lat_column, lon_column, _rest = st.columns([1, 1, 2], gap="small")
        with lat_column:
            lat = pick(_("Latitude"), "lat", base.get("lat"), options, format_func=column_label)
        with lon_column:
            lon = pick(_("Longitude"), "lon", base.get("lon"), options, format_func=column_label)
        return {"lat": lat, "lon": lon} if lat and lon else {}
    narrow, _rest = st.columns([1, 1])
    if choice == "wkt":
        with narrow:
            wkt = pick(_("WKT column"), "wkt", base.get("wkt"), options, format_func=column_label)
        return {"wkt": wkt} if wkt else {}
    if choice == "area":
        names = dict(zip(areas["id"], areas["name"], strict=False))
        # The areas' own names in the reader's language, where their file gives them.
        names |= {key: area_names[key] for key in names if area_names and key in area_names}
        given = base.get("area")
        if isinstance(given, str) and given not in names:  # kept, so the problem is reported
            names[given] = _("{area} (not in the data)").format(area=given)
        with narrow:
            area = pick(
                _("Named area (stands for every row's position)"),
                "area",
                given,
                [NONE, *names],
                format_func=lambda option: _("— choose —") if option == NONE else names[option],
            )
        return {"area": area} if area else {}
    points = dict(base["points"])
    column = pick(
        _("Points column"), "points", points.get("column"), options, format_func=column_label
    )
    return {"points": {**points, "column": column}} if column else {}


def show_preview(
    prefix: str, preview: Upload, table, areas, rows: int | None, grouped: bool = False
) -> None:
    """The preview of the first `rows` rows (None: all): its events on a map of their own and
    in a table, their problems beside; a checkbox reads every row when it is not all. With
    `grouped` (a mapping's group) and not every row read, it says a track may go on."""
    events = preview.events
    read = len(table.rows) if rows is None else min(len(table.rows), rows)
    which = (
        _("all {rows}").format(rows=counted(read, table.noun))
        if read == len(table.rows)
        else _("the first {count} of {rows}").format(
            count=number(read), rows=counted(len(table.rows), table.noun)
        )
    )
    problems = preview.problems
    st.markdown(
        _("**Preview** of {which}: {events}, {problems}").format(
            which=which,
            events=counted(len(events), "event"),
            problems=counted(len(problems), "problem"),
        )
    )
    skipped = preview.left_out.summary(table.noun)
    if skipped:  # the analyst's own choice, said so the count of events adds up
        skipped = localized(skipped)
        st.caption(markdown_text(skipped[:1].upper() + skipped[1:]))
    if grouped and read < len(table.rows):
        st.caption(
            _(
                "A track gathers its {things} from the whole list: here its positions, start "
                "and end are those of the first {count} only. Add to the map reads every one."
            ).format(things=noun_word(table.noun, many=True), count=number(read))
        )
    if len(table.rows) > PREVIEW_ROWS:
        st.checkbox(
            _("Preview every {thing} ({count})").format(
                thing=noun_word(table.noun), count=number(len(table.rows))
            ),
            key=prefix + "preview_all",
            help=_(
                "Slower on a long list. Add to the map and the downloads always read every {thing}."
            ).format(thing=noun_word(table.noun)),
        )
    preview_panel(prefix + "map", events, problems, table.noun, areas)
    if events.empty:
        st.caption(_("No row reads as an event yet: the problems say what each one lacks."))
        return
    shown = events[["id", "title", "kind", "start_text", "end_text", "nations", "area"]]
    shown = shown.rename(columns={"start_text": "start", "end_text": "end"})
    shown["nations"] = shown["nations"].map(", ".join)
    # A kind is read by its label (Exercise, 演習); titles, dates and nations as written.
    shown["kind"] = shown["kind"].map(lambda kind: KIND_LABELS.get(kind, kind))
    config = {
        name: st.column_config.Column(_(heading)) for name, heading in PREVIEW_HEADINGS.items()
    }
    config["title"] = st.column_config.TextColumn(_(PREVIEW_HEADINGS["title"]), width="medium")
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        height=min(35 * (len(shown) + 1) + 3, 250),
        column_config=config,
    )


def preview_panel(key: str, events, problems: list[Problem], noun: str, areas, fit=None) -> None:
    """A preview's events on a map of their own (fitted to `fit`, default all of them), and
    beside it their problems, one a line (`noun` names what each is about: "row", "warning")."""
    map_column, problems_column = st.columns([1.25, 1], gap="medium")
    with map_column:
        preview_map(key, events, areas, fit)
    with problems_column:
        if problems:
            text_table(
                {
                    noun_word(noun): [localized(problem.feature or "") for problem in problems],
                    _("field"): [problem.field or "" for problem in problems],
                    _("problem"): [localized(problem.message) for problem in problems],
                    _("added"): [_("no") if problem.skipped else _("yes") for problem in problems],
                },
                height=PREVIEW_MAP_HEIGHT if len(problems) > PREVIEW_PROBLEMS else "content",
            )
        else:
            st.success(_("No problems in these {things}.").format(things=noun_word(noun, True)))


def preview_map(key: str, events, areas, fit=None) -> None:
    """The preview's events on a small map of their own, drawn as uploads, fitted to `fit`
    (some of the events; default all)."""
    used_areas = areas[areas["id"].isin(set(events["area"]))] if len(events) else areas.iloc[0:0]
    map_data = MapData.prepare(events, used_areas)
    if fit is None or fit.empty:
        lat, lon, zoom = fitted_view(events, map_data, used_areas, PREVIEW_MAP_HEIGHT)
    else:
        fit_areas = used_areas[used_areas["id"].isin(set(fit["area"]))]
        fit_data = MapData.prepare(fit, fit_areas)
        lat, lon, zoom = fitted_view(fit, fit_data, fit_areas, PREVIEW_MAP_HEIGHT)
    view = View(lat=lat, lon=lon, zoom=zoom)
    groups = view_layers(
        events,
        map_data,
        used_areas,
        data_months(events),
        view,
        map_window(zoom, center=(lat, lon)),
    )
    if len(events) <= DETAIL_LIMIT:
        # A preview is small: no legend or month player over its events (the table beside
        # says their kinds and dates). Beyond DETAIL_LIMIT the legend's layer also carries
        # the grid cells' positions, so it stays.
        groups = [group for group in groups if group.layer_name != "Legend"]
    st_folium(
        base_map(View()),
        key=key,
        height=PREVIEW_MAP_HEIGHT,
        width="stretch",
        returned_objects=[],
        feature_group_to_add=groups,
        center=[lat, lon],
        zoom=zoom,
    )
