"""Map colours."""

import json

import pytest
from conftest import small_dataset

from layers.map.style import MONTH_PALETTE, month_colours
from layers.read.load import load_geodata

HOSTILE = '<img src=x onerror="alert(1)"><script>alert(2)</script>&amp;'


@pytest.fixture
def geodata(tmp_path):
    return load_geodata(small_dataset(tmp_path))


def features_of(text):
    return json.loads(text)["features"]


def test_colour_by_month_runs_light_to_dark():
    colours = month_colours(["2024-01", "2024-02", "2024-03"])
    assert colours["2024-01"] == MONTH_PALETTE[0]
    assert colours["2024-03"] == MONTH_PALETTE[-1]
