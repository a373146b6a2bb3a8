"""The stack's data, written by a one-shot process with the stack's settings:

    python -m tests.prodstack.datasets large [--households N]
    python -m tests.prodstack.datasets facts PATH

``large``: unless the database has it already, the benchmark's large commune (``tests.perf.large_commune``, 50,000
households by default, built with ``bulk_create`` in a few minutes) with the demo
logins of ``seed_demo`` (``households.demo.DEMO_USERS``, password
``households.demo.DEMO_PASSWORD``), so the same clients drive both datasets. The small
dataset is ``manage.py seed_demo`` itself.

``facts``: what a client needs to know about the data it drives, as JSON (the smoke
tests and the load test run without database access): the villages, a spread sample
of active households whose head has a phone, each with the four digits the public
lookup asks for, and family names to search for.
"""

import argparse
import json
import sys
from pathlib import Path

SAMPLE = 200  # households in the facts: enough that the load test's users spread out


def large(households: int) -> None:
    from households.models import Commune
    from households.seeding import _users
    from tests.perf.large_commune import COMMUNE, build_large_commune

    if Commune.objects.filter(code=COMMUNE["code"]).exists():
        print(f"{COMMUNE['name']} is already loaded: nothing written.")
        return
    built = build_large_commune(households=households, say=print)
    _users(built.commune, {village.code: village for village in built.villages})
    print(f"{built.commune}: {built.counts} in {built.seconds:.0f} s")


def facts() -> dict:
    from households.models import Commune, Household

    commune = Commune.objects.get()  # the dataset has one commune, served on any host
    homes = list(
        Household.objects.active()
        .filter(commune=commune)
        .exclude(phone="")
        .order_by("pk")
        .values("pk", "code", "phone", "head_name", "village_id")
    )
    step = max(1, len(homes) // SAMPLE)
    sample = homes[::step][:SAMPLE]
    return {
        "commune": commune.name,
        "villages": list(
            commune.villages.order_by("sort_order", "name").values("pk", "code", "name")
        ),
        "households": [
            {
                "pk": home["pk"],
                "code": home["code"],
                "digits": "".join(c for c in home["phone"] if c.isdigit())[-4:],
                "head_name": home["head_name"],
                "village": home["village_id"],
            }
            for home in sample
        ],
        # The last word of a Kinh name, the first of an Ê Đê one: both are searched.
        "search_terms": sorted({home["head_name"].split()[-1] for home in sample}),
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("large", help="the large commune and the demo logins")
    build.add_argument("--households", type=int, default=50_000)
    out = commands.add_parser("facts", help="write what the clients need as JSON")
    out.add_argument("path", type=Path)
    args = parser.parse_args(argv)

    import django

    django.setup()
    if args.command == "large":
        large(args.households)
    else:
        args.path.write_text(json.dumps(facts(), ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
