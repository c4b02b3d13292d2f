"""The legend box: what it lists."""

from layers.map.legend import legend_entries
from layers.read.schema import KIND_COLOURS, KIND_LABELS


def test_the_legend_lists_only_the_kinds_shown_in_legend_order():
    entries = legend_entries("kind", ["2024-07"], {"launch", "exercise"})
    assert entries == [(KIND_COLOURS["exercise"], "Exercise"), (KIND_COLOURS["launch"], "Launch")]


def test_the_legend_lists_every_kind_when_the_kinds_are_not_known():
    assert [label for _, label in legend_entries("kind", [])] == list(KIND_LABELS.values())


def test_no_event_shown_is_no_legend_row():
    assert legend_entries("kind", ["2024-07"], set()) == []
