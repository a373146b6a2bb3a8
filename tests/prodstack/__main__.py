"""Start the production stack, run a command against it, tear it down:

    python -m tests.prodstack --database-url postgres://postgres@127.0.0.1:5432/h_load \\
        --redis-url redis://127.0.0.1:6379/7 --port 8821 --dataset large -- \\
        locust -f tests/load/locustfile.py --headless -u 40 -r 10 -t 60s

The command gets the stack's address in ``PRODSTACK_URL`` and the dataset's facts
(``tests.prodstack.datasets``) in the file ``PRODSTACK_FACTS``; its exit status is this
program's. Without a command the stack serves until Ctrl-C. Logs: ``--folder``
(default ``test-artifacts/prodstack-<port>``).
"""

import argparse
import os
import signal
import subprocess
import sys
import time
from contextlib import suppress
from pathlib import Path

from tests.integration.processes import BASE_DIR

from .stack import ProdStack, StackError, StackSettings


def parse_args(argv: list[str]) -> tuple[argparse.Namespace, list[str]]:
    command: list[str] = []
    if "--" in argv:
        at = argv.index("--")
        argv, command = argv[:at], argv[at + 1 :]
    parser = argparse.ArgumentParser(
        prog="python -m tests.prodstack", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--database-url", required=True, help="a PostgreSQL database of your own: it is dropped and created again")  # fmt: skip
    parser.add_argument("--redis-url", required=True, help="a Redis database of your own (not /0): it is emptied")  # fmt: skip
    parser.add_argument("--port", type=int, required=True, help="gunicorn's loopback port")  # fmt: skip
    parser.add_argument("--dataset", choices=["demo", "large"], default="demo")
    parser.add_argument("--households", type=int, help="the dataset's size (default: its own)")  # fmt: skip
    parser.add_argument("--worker-concurrency", type=int, default=2)
    parser.add_argument(
        "--keep-data",
        action="store_true",
        help="keep the database and Redis database as they are (a second run on the "
        "same data: the dataset is not written again)",
    )
    parser.add_argument("--folder", type=Path, help="logs and the stack's var/")
    parser.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="an extra setting for every process (repeatable)",
    )
    return parser.parse_args(argv), command


def main(argv: list[str]) -> int:
    args, command = parse_args(argv)
    folder = args.folder or BASE_DIR / "test-artifacts" / f"prodstack-{args.port}"
    settings = StackSettings(
        database_url=args.database_url,
        redis_url=args.redis_url,
        port=args.port,
        folder=folder,
        dataset=args.dataset,
        households=args.households,
        worker_concurrency=args.worker_concurrency,
        fresh=not args.keep_data,
        extra_env=dict(item.split("=", 1) for item in args.env),
    )
    print(f"Starting the production stack on {settings.database_url} (logs: {folder})")
    try:
        with ProdStack(settings) as stack:
            print(f"Healthy at {stack.url}", flush=True)
            if not command:
                print("Serving until Ctrl-C.", flush=True)
                with suppress(KeyboardInterrupt):
                    while True:
                        time.sleep(3600)
                return 0
            env = {
                **os.environ,
                "PRODSTACK_URL": stack.url,
                "PRODSTACK_FACTS": str(stack.facts_path),
                "PYTHONPATH": str(
                    BASE_DIR
                ),  # the command may import the project's modules
            }
            return subprocess.run(
                command, cwd=BASE_DIR, env=env, check=False
            ).returncode
    except StackError as error:
        print(f"The production stack did not start: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    # A SIGTERM (a CI timeout, `kill`) leaves the ``with`` block: the stack is stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    sys.exit(main(sys.argv[1:]))
