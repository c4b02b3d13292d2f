"""Who works with whom: pair counts, coalition order, new partners."""

import pandas as pd

from layers.analysis.coalitions import (
    confrontation_matrix,
    confrontation_table,
    nation_matrix,
    nation_sets,
    new_partner_table,
    new_partners,
    unpaired_events,
)


def events(*rows, kind="exercise"):
    """Events of (nations, start) rows, all of one `kind` (an exercise: its nations together)."""
    return pd.DataFrame(
        {
            "nations": [list(nations) for nations, _ in rows],
            "kind": kind,
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
    events = pd.DataFrame(
        {"nations": [["JPN", "PHL"], ["PHL", "JPN", "JPN"], ["USA"], ["JPN"]], "kind": "exercise"}
    )
    sets = nation_sets(events)
    assert nation_matrix(events.iloc[:3], sets).equals(nation_matrix(events.iloc[:3]))
    assert nation_matrix(events.iloc[:2], sets).loc["JPN", "PHL"] == 2
    assert nation_matrix(events.iloc[:0], sets).empty


# The Senkaku incidents as the seed data gives them, the Japan–Taiwan drill, a transit of two
# navies together, and a protest (diplomacy, yet against the other side).
SENKAKU = pd.DataFrame(
    {
        "nations": [["CHN", "JPN"], ["CHN", "JPN"], ["JPN", "TWN"], ["CAN", "USA"], ["CHN", "JPN"]],
        "kind": ["incident", "incident", "exercise", "transit", "diplomacy"],
        "sides": [
            (("CHN",), ("JPN",)),
            (("CHN",), ("JPN",)),
            None,
            (("CAN", "USA"),),
            (("CHN",), ("JPN",)),
        ],
        "start": pd.to_datetime(
            ["2023-07-11", "2024-01-01", "2024-07-18", "2023-09-09", "2024-07-19"]
        ),
    }
)


def test_nations_on_opposite_sides_are_no_partners_and_are_counted_as_confronting():
    matrix = nation_matrix(SENKAKU)
    assert matrix.loc["CHN", "JPN"] == matrix.loc["JPN", "CHN"] == 0
    assert matrix.loc["CHN", "CHN"] == 3 and matrix.loc["JPN", "JPN"] == 4  # each one's events
    assert matrix.loc["JPN", "TWN"] == 1  # an exercise without sides: together
    assert matrix.loc["CAN", "USA"] == 1  # a transit whose one side names both
    against = confrontation_matrix(SENKAKU)
    assert against.loc["CHN", "JPN"] == against.loc["JPN", "CHN"] == 3
    assert set(against.index) == {"CHN", "JPN"}
    names = {"CHN": "China", "JPN": "Japan"}
    assert confrontation_table(against, names).to_dict("records") == [
        {"nation": "CHN", "against": "JPN", "events": 3}
    ]


def test_without_sides_only_cooperative_kinds_count_their_nations_together():
    kinds = ["exercise", "port_call", "diplomacy", "incident", "transit", "patrol", "launch"]
    table = pd.DataFrame({"nations": [["CHN", "JPN"]] * len(kinds), "kind": kinds})
    matrix = nation_matrix(table)
    assert matrix.loc["CHN", "JPN"] == 3  # exercise, port call and diplomacy
    assert matrix.loc["CHN", "CHN"] == matrix.loc["JPN", "JPN"] == len(kinds)
    assert confrontation_matrix(table).empty  # who stood against whom is not said
    assert unpaired_events(table) == 4


def test_sides_not_known_count_neither_and_an_unsaid_nation_is_in_no_pair():
    table = pd.DataFrame(
        {
            "nations": [["CHN", "JPN"], ["CHN", "JPN", "TWN"], ["CAN", "USA", "GBR"]],
            "kind": ["exercise", "incident", "transit"],
            "sides": [(), (("CHN",), ("JPN",)), (("CAN", "USA"),)],
        }
    )
    matrix = nation_matrix(table)
    assert matrix.loc["CHN", "JPN"] == 0  # an exercise whose sides are not known
    assert matrix.loc["CAN", "USA"] == 1 and matrix.loc["GBR", "USA"] == 0  # GBR: not said
    against = confrontation_matrix(table)
    assert against.loc["CHN", "JPN"] == 1 and "TWN" not in against.index
    assert unpaired_events(table) == 1


def test_a_confrontation_is_no_new_partner():
    fresh = new_partners(SENKAKU, pd.Timestamp("2024-01-01"))
    assert fresh == {"JPN": ["TWN"], "TWN": ["JPN"]}
    # Earlier events from a table without sides (NaN once joined) count as events without.
    joined = pd.concat([SENKAKU.iloc[:2].drop(columns="sides"), SENKAKU.iloc[2:]])
    assert joined["sides"].isna().sum() == 3  # and the exercise's None
    assert new_partners(joined, pd.Timestamp("2024-01-01")) == fresh


def test_the_prepared_keys_and_weights_follow_the_sides():
    sets = nation_sets(SENKAKU)
    assert confrontation_matrix(SENKAKU.iloc[:2], sets).loc["CHN", "JPN"] == 2
    weights = pd.Series([1.0, 336.0, 1.0, float("nan"), 1.0])  # days of presence, say
    assert confrontation_matrix(SENKAKU, sets, weights).loc["CHN", "JPN"] == 338
    assert "CAN" not in nation_matrix(SENKAKU, sets, weights).index  # gives no count


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
