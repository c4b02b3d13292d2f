"""`python -m layers.navwarn`: warnings from a text file or a CSV column become valid events."""

import csv
import json
import subprocess
import sys

from conftest import REPO

EXAMPLES = REPO / "docs/examples/navwarn"


def navwarn(*args):
    return subprocess.run(
        [sys.executable, "-m", "layers.navwarn", *map(str, args)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_examples_file_gives_an_event_per_warning_and_reports_the_rest(tmp_path):
    output = tmp_path / "events" / "warnings.geojson"
    result = navwarn(EXAMPLES / "warnings.txt", "--output", output, "--nations", "JPN")
    assert result.returncode == 1  # the area "to be announced" is a problem
    assert result.stdout.splitlines() == [
        'warnings.txt: warning "粤航警0777/24" (#10): areas: no coordinates: the area is to be '
        "announced; no event is made and no position is invented"
    ]
    features = json.loads(output.read_text(encoding="utf-8"))["features"]
    assert len(features) == 8
    titles = [feature["properties"]["title"] for feature in features]
    assert any(title.startswith("琼航警0456/24: live-fire") for title in titles)
    checked = subprocess.run(
        [sys.executable, "-m", "layers.validate", str(tmp_path)], cwd=REPO, capture_output=True
    )
    assert checked.returncode == 0, checked.stdout


def test_a_csv_column_of_warnings_with_urls_and_publication_dates(tmp_path):
    source = tmp_path / "warnings.csv"
    with source.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["text", "link", "published"])
        writer.writerow(
            [
                "航行警報 第77号 5月23日0900時から同日1500時まで 次の各点を順次に結んだ線により"
                "囲まれる海域 34-40.0N 139-55.0E、34-40.0N 140-10.0E、34-30.0N 140-10.0E 射撃訓練",
                "https://example.org/77",
                "2024-05-20",
            ]
        )
    output = tmp_path / "out.geojson"
    result = navwarn(
        source,
        "--column",
        "text",
        "--url-column",
        "link",
        "--published-column",
        "published",
        "--output",
        output,
    )
    assert (result.returncode, result.stdout) == (0, "")
    (feature,) = json.loads(output.read_text(encoding="utf-8"))["features"]
    assert feature["properties"]["start"] == "2024-05-23"  # the year from the publication date
    assert feature["properties"]["nations"] == ["JPN"]
    assert feature["properties"]["sources"] == [
        {
            "title": "Navigational warning 航行警報 第77号",
            "url": "https://example.org/77",
            "published": "2024-05-20",
        }
    ]


def test_a_missing_column_is_one_clear_line(tmp_path):
    source = tmp_path / "w.csv"
    source.write_text("body\nx\n")
    result = navwarn(source, "--column", "text", "--output", tmp_path / "o.geojson")
    assert result.returncode == 1
    assert result.stdout.strip() == (
        'w.csv: no column "text" (read as comma-separated, the columns are body)'
    )
    assert not (tmp_path / "o.geojson").exists()


def test_ngas_xml_gives_its_events_and_one_line_per_warning_left_out(tmp_path):
    output = tmp_path / "events" / "hydropac.geojson"
    result = navwarn(EXAMPLES / "hydropac.xml", "--output", output)
    said = result.stdout.splitlines() + result.stderr.splitlines()
    numbers = [f"HYDROPAC {n}/26" for n in (2379, 2380, 2381, 2385, 2376, 2386, 2387)]
    # Every record is either an event or a line naming it (by its place and number).
    for place, number in enumerate(numbers, start=1):
        assert any(
            line.startswith(f"hydropac.xml: event {number}:")
            or line.startswith(f"hydropac.xml: record #{place}")
            and number in line
            for line in said
        ), number
    assert (
        "hydropac.xml: record #7 (HYDROPAC 2387/26): text: no text: the record holds no "
        "warning to read; left out"
    ) in result.stdout.splitlines()
    # The in-force bulletin lists numbers, not areas: never an event.
    assert not any(line.startswith("hydropac.xml: event HYDROPAC 2386/26") for line in said)
    # Problems name NGA's records, never spreadsheet rows.
    assert not any("row #" in line for line in said)
    assert result.returncode == 1


def test_ngas_own_word_of_a_cancellation_ends_the_event(tmp_path):
    output = tmp_path / "events" / "hydropac.geojson"
    result = navwarn(EXAMPLES / "hydropac.xml", "--output", output, "--nations", "VNM")
    (line,) = [
        x
        for x in result.stderr.splitlines()
        if x.startswith("hydropac.xml: event HYDROPAC 2376/26:")
    ]
    assert "(cancelled by HYDROPAC 2383/26): 2026-08-22" in line
    features = json.loads(output.read_text(encoding="utf-8"))["features"]
    (event,) = [f["properties"] for f in features if "2376/26" in f["properties"]["title"]]
    assert (event["start"][:10], event["end"]) == ("2026-08-22", "2026-08-24T12:00Z")
    assert event["sources"] == [
        {"title": "Navigational warning HYDROPAC 2376/26", "published": "2026-08-20"}
    ]
    checked = subprocess.run(
        [sys.executable, "-m", "layers.validate", str(tmp_path)], cwd=REPO, capture_output=True
    )
    assert checked.returncode == 0, checked.stdout


def test_the_msa_scrapers_csv_needs_no_column(tmp_path):
    source = tmp_path / "military_exercises.csv"
    with source.open("w", newline="", encoding="utf-8-sig") as file:
        writer = csv.writer(file)
        writer.writerow(
            ["publish_date", "title", "channel", "time_periods", "coordinate_count"]
            + ["coordinates", "coordinates_raw", "content_preview", "url", "scraped_at"]
            + ["start_date", "end_date"]
        )
        writer.writerow(
            ["2024-05-20", "军事训练—闽航警0123/24", "福建海事局", "05/23-05/24", "3", "", ""]
            + [
                "闽航警0123/24 发布时间：2024-05-20 10:00 [字体： 大 中 小 ] 分享到： "
                "闽航警0123/24 台湾海峡 2024年5月23日0800时至5月24日1800时 在24-10.00N "
                "118-30.00E、24-10.00N 118-50.00E、24-00.00N 118-50.00E"
                "诸点连线范围内进行实弹射击。",
                "https://www.msa.gov.cn/x/1",
                "2024-05-21T04:00:00",
                "2024-05-23",
                "2024-05-24",
            ]
        )
    output = tmp_path / "out.geojson"
    result = navwarn(source, "--output", output)
    assert (result.returncode, result.stdout) == (0, "")
    assert result.stderr.splitlines()[0] == (
        'military_exercises.csv: warnings read from text "content_preview", URL "url", '
        'published "publish_date", station "channel" (the China MSA scraper\'s columns)'
    )
    (feature,) = json.loads(output.read_text(encoding="utf-8"))["features"]
    properties = feature["properties"]
    assert (properties["start"], properties["end"]) == ("2024-05-23", "2024-05-24")
    assert properties["sources"] == [
        {
            "title": "Navigational warning 闽航警0123/24",
            "url": "https://www.msa.gov.cn/x/1",
            "published": "2024-05-20",
        }
    ]
    assert properties["nations"] == ["CHN"]


def test_an_issuer_rule_names_the_issuer_of_the_warnings_it_matches(tmp_path):
    text = tmp_path / "mixed.txt"
    box = "22-00.00N 118-00.00E, 22-00.00N 118-20.00E, 21-40.00N 118-20.00E"
    text.write_text(
        f"NAVAREA XI 0555/24 SOUTH CHINA SEA. GUNNERY EXERCISES 140100UTC TO 140900UTC OCT 24 "
        f"IN AREA BOUNDED BY {box}.\n"
        f"HYDROPAC 2381/24 SOUTH CHINA SEA. GUNNERY EXERCISES 150100UTC TO 150900UTC OCT 24 "
        f"IN AREA BOUNDED BY {box}.\n",
        encoding="utf-8",
    )
    output = tmp_path / "out.geojson"
    result = navwarn(text, "--output", output, "--issuer", "NAVAREA XI=JPN")
    events = json.loads(output.read_text(encoding="utf-8"))["features"]
    assert [(e["properties"]["title"][:18], e["properties"]["nations"]) for e in events] == [
        ("NAVAREA XI 0555/24", ["JPN"])
    ]
    assert any(
        "HYDROPAC 2381/24" in line and "who issued" in line for line in result.stdout.splitlines()
    )
    both = navwarn(
        text, "--output", output, "--issuer", "navarea xi=JPN", "--issuer", "HYDROPAC=USA"
    )
    nations = [e["properties"]["nations"] for e in json.loads(output.read_text())["features"]]
    assert (both.returncode, nations) == (0, [["JPN"], ["USA"]])
    wrong = navwarn(text, "--output", output, "--issuer", "HYDROPAC")
    assert wrong.stdout == "--issuer 'HYDROPAC': write PREFIX=CODES, e.g. 'HYDROPAC=USA'\n"
    assert wrong.returncode == 1
