"""The tables of docs/performance.md from locust's CSV files (``--csv PREFIX`` writes
``PREFIX_stats.csv``): ``python tests/load/report.py test-artifacts/load``.

One row per page (locust's request name): requests, failures, throughput (requests a
second over the run), and the median and 95th-percentile response times in ms. The
floor alone (``floor_stats.csv``) comes first, then the mix (``mix_stats.csv``).
"""

import csv
import sys
from pathlib import Path

RUNS = [
    ("floor", "The floor alone (FloorCapacity, back to back)"),
    ("mix", "The mix (officials, residents, admin, one floor prober)"),
]
HEADER = "| page | requests | failures | req/s | p50 ms | p95 ms | max ms |"
RULE = "|---|---:|---:|---:|---:|---:|---:|"


def rows(path: Path) -> list[str]:
    with path.open(newline="") as f:
        stats = list(csv.DictReader(f))
    # The named pages by their load, the total ("Aggregated") last.
    total = [s for s in stats if s["Name"] == "Aggregated"]
    pages = sorted(
        (s for s in stats if s["Name"] != "Aggregated"),
        key=lambda s: -int(s["Request Count"]),
    )
    return [
        f"| {'**all**' if s['Name'] == 'Aggregated' else s['Name']} "
        f"| {int(s['Request Count']):,} | {int(s['Failure Count']):,} "
        f"| {float(s['Requests/s']):.1f} | {s['50%']} | {s['95%']} "
        f"| {float(s['Max Response Time']):.0f} |"
        for s in [*pages, *total]
    ]


def main(folder: Path) -> int:
    for prefix, title in RUNS:
        path = folder / f"{prefix}_stats.csv"
        if not path.exists():
            print(f"({path} is missing)")
            continue
        print(f"\n{title}\n\n{HEADER}\n{RULE}")
        print("\n".join(rows(path)))
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "test-artifacts/load")))
