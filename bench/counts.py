"""What adding up a count costs, beside counting events, in the same run.

    python bench/counts.py [--sizes 10000 100000] [--repeat 5]

For N synthetic events (bench/synthetic.py's table), half of them daily reports giving
aircraft and ships counts, it times (medians of --repeat runs):
  - at load: event_summaries without counts (the baseline) and with them (count_table);
  - per rerun: the timeline per month counting events (filters.monthly_counts, the baseline),
    and per month and per day adding up aircraft (timeline.binned), the weights themselves
    (measure_weights), the nations matrix and the area table, events against aircraft.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from synthetic import synthetic_frame  # noqa: E402

from layers.analysis.coalitions import nation_matrix  # noqa: E402
from layers.analysis.compare import area_month_counts  # noqa: E402
from layers.filters import data_months, event_summaries, monthly_counts  # noqa: E402
from layers.measure import count_table, measure_weights  # noqa: E402
from layers.timeline import DAY, binned, range_days  # noqa: E402


def median_ms(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    print(f"{'events':>8}  {'what':<44} {'baseline ms':>12} {'counts ms':>10}")
    for size in args.sizes:
        for name, base, found in timings(size, args.repeat):
            print(f"{size:>8,}  {name:<44} {base:>12.1f} {found:>10.1f}")


def timings(size: int, repeat: int) -> list[tuple[str, float, float]]:
    """(what, baseline ms, with counts ms) for `size` events."""
    plain = synthetic_frame(size)
    events = plain.copy()
    rng = np.random.default_rng(22)
    reports = rng.random(size) < 0.5
    events["counts"] = [
        {"aircraft": int(rng.integers(0, 60)), "ships": int(rng.integers(0, 15))} if report else {}
        for report in reports
    ]
    months = data_months(events)
    zones = events["id"].map(lambda _: (("taiwan-strait", "in"),))
    table = count_table(events)
    weights = measure_weights(events, "aircraft", table)
    days = range_days(months[-3], months[-1])
    rows = [
        (
            "load: event_summaries (+ count_table)",
            lambda: event_summaries(plain),
            lambda: event_summaries(events),
        ),
        (
            "rerun: weights for a measure",
            lambda: None,
            lambda: measure_weights(events, "aircraft", table),
        ),
        (
            "rerun: timeline per month",
            lambda: monthly_counts(events, months),
            lambda: binned(events, months, weights=weights),
        ),
        (
            f"rerun: timeline per day ({len(days)} days)",
            lambda: monthly_counts(events, months[-3:]),
            lambda: binned(events, days, DAY, weights),
        ),
        (
            "rerun: who works with whom",
            lambda: nation_matrix(events),
            lambda: nation_matrix(events, weights=weights),
        ),
        (
            "rerun: activity by area",
            lambda: area_month_counts(events, zones, months),
            lambda: area_month_counts(events, zones, months, weights),
        ),
    ]
    return [
        (name, median_ms(baseline, repeat), median_ms(counted, repeat))
        for name, baseline, counted in rows
    ]


if __name__ == "__main__":
    main()
