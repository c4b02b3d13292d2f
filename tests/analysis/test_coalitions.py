"""Who works with whom: pair counts, coalition order, new partners."""

import pandas as pd

from layers.analysis.coalitions import nation_matrix, new_partner_table, new_partners


def events(*rows):
    return pd.DataFrame(
        {
            "nations": [list(nations) for nations, _ in rows],
            "start": [pd.Timestamp(start) for _, start in rows],
        }
    )


SHOWN = events(
    (("JPN", "USA"), "2024-05-01"),
    (("JPN", "USA", "PHL"), "2024-06-01"),
    (("JPN", "PHL"), "2024-06-15"),
    (("CHN", "RUS"), "2024-07-01"),
    (("CHN", "RUS"), "2024-07-20"),
    (("CHN",), "2024-07-25"),
)


def test_the_matrix_counts_pairs_and_each_nations_total_on_the_diagonal():
    matrix = nation_matrix(SHOWN)
    assert matrix.loc["JPN", "JPN"] == 3 and matrix.loc["CHN", "CHN"] == 3
    assert matrix.loc["JPN", "USA"] == matrix.loc["USA", "JPN"] == 2
    assert matrix.loc["JPN", "PHL"] == 2 and matrix.loc["USA", "PHL"] == 1
    assert matrix.loc["CHN", "RUS"] == 2 and matrix.loc["JPN", "CHN"] == 0


def test_coalitions_sit_together_in_the_order():
    order = list(nation_matrix(SHOWN).index)
    west = [order.index(code) for code in ("JPN", "USA", "PHL")]
    east = [order.index(code) for code in ("CHN", "RUS")]
    assert max(west) < min(east) or max(east) < min(west)


def test_a_nation_listed_twice_in_one_event_counts_once():
    matrix = nation_matrix(events((("JPN", "JPN", "USA"), "2024-05-01")))
    assert matrix.loc["JPN", "JPN"] == 1 and matrix.loc["JPN", "USA"] == 1


def test_new_partners_are_those_never_seen_before_the_period():
    fresh = new_partners(SHOWN, pd.Timestamp("2024-06-01"))
    assert fresh["JPN"] == ["PHL"]  # JPN-USA was already seen in May
    assert fresh["PHL"] == ["JPN", "USA"]
    assert fresh["CHN"] == ["RUS"]
    assert "USA" in fresh and fresh["USA"] == ["PHL"]


def test_the_matrix_from_prepared_nation_sets_is_the_same():
    from layers.analysis.coalitions import nation_sets

    events = pd.DataFrame({"nations": [["JPN", "PHL"], ["PHL", "JPN", "JPN"], ["USA"], ["JPN"]]})
    sets = nation_sets(events)
    assert nation_matrix(events.iloc[:3], sets).equals(nation_matrix(events.iloc[:3]))
    assert nation_matrix(events.iloc[:2], sets).loc["JPN", "PHL"] == 2
    assert nation_matrix(events.iloc[:0], sets).empty


RIMPAC = [
    "USA",
    "AUS",
    "BEL",
    "BRA",
    "BRN",
    "CAN",
    "CHL",
    "COL",
    "DNK",
    "ECU",
    "FRA",
    "DEU",
    "IND",
    "IDN",
    "ISR",
    "ITA",
    "JPN",
    "MYS",
    "MEX",
    "NLD",
    "NZL",
    "PER",
    "KOR",
    "PHL",
    "SGP",
    "LKA",
    "THA",
    "TON",
    "GBR",
]


def test_dozens_of_new_partners_read_as_a_count_and_the_first_few_names():
    names = {"USA": "United States", "AUS": "Australia", "BEL": "Belgium", "BRA": "Brazil"}
    names |= {"BRN": "Brunei", "CAN": "Canada", "JPN": "Japan", "PHL": "Philippines"}
    before = events((("JPN", "USA", "PHL"), "2024-06-01"), (("USA", "CAN"), "2023-09-09"))
    rimpac = events((tuple(RIMPAC), "2024-06-27"))
    table = new_partner_table(
        new_partners(pd.concat([before, rimpac]), pd.Timestamp("2024-06-27")), names
    )
    assert len(table) == len(RIMPAC)
    # Most new partners first: the 25 nations new to all 28 others, then CAN (27), JPN and PHL
    # (26), then the USA (25), who had worked with three of them before.
    assert list(table["count"]) == [28] * 25 + [27, 26, 26, 25]
    assert list(table["nation"][-4:]) == ["CAN", "JPN", "PHL", "USA"]
    usa = table[table["nation"] == "USA"].iloc[0]
    assert usa["partners"] == "Australia, Belgium, Brazil, Brunei and 21 more"
    assert len(usa["every"].split(", ")) == 25 and "Japan" not in usa["every"]
    japan = table[table["nation"] == "JPN"].iloc[0]
    assert (japan["count"], japan["partners"]) == (
        26,
        "Australia, Belgium, Brazil, Brunei and 22 more",
    )
    # Among equals, by name: Australia before Belgium.
    assert list(table["nation"][:2]) == ["AUS", "BEL"]


def test_a_few_new_partners_are_all_named():
    table = new_partner_table({"ESP": ["FRA", "DEU", "JPN"]}, {"DEU": "Germany", "FRA": "France"})
    assert table.to_dict("records") == [
        {
            "nation": "ESP",
            "count": 3,
            "partners": "France, Germany, JPN",
            "every": "France, Germany, JPN",
        }
    ]
