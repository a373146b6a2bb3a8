"""The load test: commune officials, residents and the administrator on the production
stack, from a second process on loopback. ``make load`` starts the stack
(``python -m tests.prodstack``) and runs, bounded in time::

    locust -f tests/load/locustfile.py --headless -u 40 -r 10 -t 60s --csv ... \\
        Official Resident Admin Floor

The stack gives its address in ``PRODSTACK_URL`` and what the data holds (villages,
household ids, household codes with their four lookup digits, names to search) in the
file ``PRODSTACK_FACTS``.

Each simulated person is one browser: it plays nginx's part as the smoke tests do
(``X-Forwarded-Proto: https``, and an ``X-Forwarded-For`` address of its own, so the
resident portal's per-address limits count each resident apart), keeps its secure
cookies over the loopback HTTP, and posts forms with the CSRF token and the ``Origin``
a browser sends. Between two pages it waits 1 to 3 seconds, as a person reading.

The mix (weights are people, not requests):

- ``Official`` (4): signs in once as the demo commune official, then browses the
  household list (plain, searched, filtered and sorted), opens households, the loan
  list, and logs a contact with a household (a POST that writes);
- ``Resident`` (10): the home page, the programs, the eligibility check through its
  steps with answers, and household lookups: nine in ten with a right code and digits,
  one in ten with a code that does not exist;
- ``Admin`` (1): signs in as the demo administrator and opens the dashboard (the year,
  nine months, one village) and the printable report;
- ``Floor`` (one, whatever the number of users): the floor beside them on the same
  server, once a second: a static file through WhiteNoise (gunicorn, the WSGI call and
  two middlewares; no view, no session, no database) and ``/healthz`` (a view with one
  ``SELECT 1`` and a Redis write, read and delete).

``FloorCapacity`` is the floor alone, back to back, for its own run: ``make load`` runs
it first, then the mix (``tests/load/run.sh``), and ``tests/load/report.py`` turns both
CSV files into the tables of ``docs/performance.md``.

A request counts as failed when the page is not the one a person would get (a refused
form, a throttled lookup, an error), not only on a 5xx.
"""

import itertools
import json
import os
import random
import re
from datetime import datetime
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from locust import HttpUser, between, constant, task

from households.demo import DEMO_PASSWORD  # no Django needed (households/demo)

HOST = os.environ.get("PRODSTACK_URL", "http://127.0.0.1:8821")
FACTS = json.loads(Path(os.environ["PRODSTACK_FACTS"]).read_text())
YEAR = 2025  # the demo's data runs to the end of 2025
COMMUNE_TIME = ZoneInfo("Asia/Ho_Chi_Minh")
NEXT_STEP = r"/check/(village|status|ethnicity|members|needs|result)/"
# Documentation addresses (RFC 5737), one per simulated person: never a real client.
_addresses = (f"198.51.100.{n % 250 + 1}" for n in itertools.count())
_more_addresses = (f"203.0.113.{n % 250 + 1}" for n in itertools.count())
_counter = itertools.count()


def _secure_on_loopback(original):
    """The portal's cookies are Secure (HTTPS=true) and nginx would speak HTTPS; here
    the client reaches gunicorn over loopback HTTP. requests builds a fresh cookie jar
    (with the default policy) for every request and redirect, so the policy itself lets
    Secure cookies travel to a loopback address, and only there."""

    def return_ok_secure(self, cookie, request) -> bool:
        host = urlsplit(request.get_full_url()).hostname
        return host in ("127.0.0.1", "localhost") or original(self, cookie, request)

    return return_ok_secure


DefaultCookiePolicy.return_ok_secure = _secure_on_loopback(
    DefaultCookiePolicy.return_ok_secure
)


def next_address() -> str:
    n = next(_counter)
    return next(_addresses) if n % 2 == 0 else next(_more_addresses)


class Person(HttpUser):
    abstract = True
    host = HOST
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.client.headers.update(
            {"X-Forwarded-Proto": "https", "X-Forwarded-For": next_address()}
        )
        self.origin = HOST.replace("http://", "https://", 1)

    def page(self, url: str, name: str, *, expect: str | None = None) -> None:
        """GET a page; a failure unless it answers 200 where it was asked (or at
        ``expect``): a lost session would land on the login page."""
        path = urlsplit(url).path
        with self.client.get(url, name=name, catch_response=True) as response:
            self._judge(response, expect or rf"{re.escape(path)}(\?.*)?")

    def post(self, url: str, data: dict, name: str, *, expect: str) -> None:
        """POST a form as a browser does; a failure unless it lands on ``expect``."""
        data = {**data, "csrfmiddlewaretoken": self.client.cookies.get("csrftoken")}
        with self.client.post(
            url, data=data, name=name, headers={"Origin": self.origin},
            catch_response=True,
        ) as response:  # fmt: skip
            self._judge(response, expect)

    @staticmethod
    def _judge(response, expect: str) -> None:
        """Right when it answered 200 at a path (and query) ``expect`` matches whole."""
        parts = urlsplit(response.url)
        landed = parts.path + (f"?{parts.query}" if parts.query else "")
        if response.status_code != 200:
            response.failure(f"{response.status_code} at {landed}")
        elif not re.fullmatch(expect, landed):
            response.failure(f"landed on {landed}, not {expect}")
        else:
            response.success()

    def sign_in(self, username: str) -> None:
        self.page("/accounts/login/", "login page")
        self.post(
            "/accounts/login/",
            {"username": username, "password": DEMO_PASSWORD},
            "login (POST)",
            expect="/staff/",
        )


class Official(Person):
    weight = 4

    def on_start(self) -> None:
        super().on_start()
        self.sign_in("canbo")

    def household(self) -> dict:
        return random.choice(FACTS["households"])

    @task(3)
    def household_list(self) -> None:
        self.page("/households/", "households: list")

    @task(3)
    def household_search(self) -> None:
        term = random.choice(FACTS["search_terms"])
        self.page(f"/households/?q={term}&sort=name", "households: search, sorted")

    @task(2)
    def household_filter(self) -> None:
        village = random.choice(FACTS["villages"])["pk"]
        status = random.choice(["poor", "near_poor", ""])
        self.page(
            f"/households/?village={village}&status={status}&sort=updated",
            "households: filter by village and status",
        )

    @task(4)
    def household_detail(self) -> None:
        self.page(f"/households/{self.household()['pk']}/", "household: detail")

    @task(2)
    def loan_list(self) -> None:
        self.page("/loans/", "loans: list")

    @task(1)
    def log_contact(self) -> None:
        home = self.household()
        self.page(f"/outreach/new/?household={home['pk']}", "contact: form")
        today = datetime.now(COMMUNE_TIME).strftime("%d/%m/%Y")
        self.post(
            f"/outreach/new/?household={home['pk']}",
            {
                "household": home["pk"],
                "channel": "phone",
                "topics": ["loans"],
                "contacted_on": today,
                "outcome": "informed",
                "note": "Gọi điện nhắc lịch trả nợ (kiểm thử tải)",
                "follow_up_in": "",
            },
            "contact: log (POST)",
            expect=r"/outreach/new/\?saved=\d+",
        )


class Resident(Person):
    weight = 10

    @task(2)
    def home(self) -> None:
        self.page("/", "resident: home")

    @task(2)
    def programs(self) -> None:
        self.page("/programs/", "resident: programs")

    @task(3)
    def eligibility_check(self) -> None:
        village = random.choice(FACTS["villages"])["pk"]
        self.page("/check/", "check: start page")
        self.post("/check/", {}, "check: start (POST)", expect="/check/village/")
        steps = [
            ("village", {"village": village}),
            ("status", {"status": random.choice(["poor", "near_poor", "not_listed"])}),
            ("ethnicity", {"minority": random.choice(["yes", "no"])}),
            ("members", {"people": random.randint(1, 8), "students": 0,
                         "children_under_6": 1, "with_disability": 0, "elderly": 0}),
            ("needs", {"farms_or_business": "yes", "needs": ["water", "capital"]}),
        ]  # fmt: skip
        for step, answers in steps:
            self.post(
                f"/check/{step}/", answers, "check: a step (POST)", expect=NEXT_STEP
            )
        self.page("/check/result/", "check: result")

    @task(3)
    def lookup(self) -> None:
        self.page("/my-household/", "lookup: form")
        if random.random() < 0.9:
            home = random.choice(FACTS["households"])
            self.post(
                "/my-household/",
                {"code": home["code"].lower(), "digits": home["digits"]},
                "lookup: right code and digits (POST)",
                expect="/my-household/view/",
            )
        else:
            self.post(
                "/my-household/",
                {"code": f"ZZ-{random.randint(0, 99999):05d}", "digits": "1234"},
                "lookup: unknown code (POST)",
                expect="/my-household/",
            )


class Admin(Person):
    weight = 1

    def on_start(self) -> None:
        super().on_start()
        self.sign_in("quantri")

    @task(3)
    def dashboard_year(self) -> None:
        self.page(f"/dashboard/?period=year&year={YEAR}", "dashboard: year")

    @task(2)
    def dashboard_nine_months(self) -> None:
        self.page(
            f"/dashboard/?period=nine_months&year={YEAR}", "dashboard: nine months"
        )

    @task(2)
    def dashboard_village(self) -> None:
        village = random.choice(FACTS["villages"])["pk"]
        self.page(
            f"/dashboard/?period=year&year={YEAR}&village={village}",
            "dashboard: one village",
        )

    @task(1)
    def report(self) -> None:
        self.page(f"/dashboard/report/?period=year&year={YEAR}", "dashboard: report")


class Floor(Person):
    """What the server costs without the application's work, under the same load."""

    weight = 1
    fixed_count = 1  # one prober, whatever the number of users
    wait_time = constant(1)

    @task
    def static_file(self) -> None:
        self.page("/static/favicon.svg", "floor: static file (WhiteNoise)")

    @task
    def health(self) -> None:
        self.page("/healthz", "floor: /healthz (database + Redis)")


class FloorCapacity(Person):
    """The floor alone, back to back (the first run of ``make load``, on its own): how
    many requests a second the server answers when the application does nothing."""

    wait_time = constant(0)

    @task
    def static_file(self) -> None:
        self.page("/static/favicon.svg", "floor: static file (WhiteNoise)")

    @task
    def health(self) -> None:
        self.page("/healthz", "floor: /healthz (database + Redis)")
