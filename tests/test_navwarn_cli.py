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
