"""Local HTTP servers that answer like the providers, for the channel tests.

``FakeServer`` runs ``http.server.ThreadingHTTPServer`` on 127.0.0.1 and a free port in a
background thread, records every request it receives (so a test can assert "one provider
call") and answers each from a per-path queue of scripted ``Answer``s, or, when the queue
is empty, the way the real provider would. ``FakeZalo`` plays the Zalo OA Open API: group
messages and the token refresh, with tokens that expire and refresh tokens that rotate.

The error codes it answers are the ones ``outreach.channels.zalo`` maps, which are
themselves unconfirmed; the fake checks our handling of them, not Zalo's real behaviour.

For the integration tests and the fan-out benchmark, which reach it from a Celery worker
in another process, ``FakeZalo`` can also answer with a realistic latency, answer the next
message slowly (to kill a worker while Zalo holds it), and list the messages it accepted
per group (what the village group would show).
"""

from __future__ import annotations

import json
import random
import threading
import urllib.parse
from collections import defaultdict, deque
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

GROUP_MESSAGE_PATH = "/v3.0/oa/group/message"
REFRESH_PATH = "/v4/oa/access_token"


@dataclass(frozen=True)
class Recorded:
    """One request the fake received."""

    path: str
    headers: dict[str, str]  # names in lower case
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def form(self) -> dict[str, str]:
        return dict(urllib.parse.parse_qsl(self.body.decode()))


@dataclass(frozen=True)
class Answer:
    """What to answer: a status, a JSON body (or raw bytes), after an optional delay."""

    status: int = 200
    json: Any = None
    raw: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0

    @classmethod
    def zalo_error(cls, code: int, message: str = "") -> Answer:
        return cls(json={"error": code, "message": message or f"error {code}"})

    @classmethod
    def hang(cls, seconds: float) -> Answer:
        """Answer only after ``seconds``: longer than the client's timeout."""
        return cls(json={"error": 0}, delay=seconds)

    def payload(self) -> bytes:
        if self.raw is not None:
            return self.raw
        return json.dumps(self.json).encode()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = (
        False  # stop() must not wait for a handler that is hanging on purpose
    )
    fake: FakeServer


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        recorded = Recorded(
            path=self.path,
            headers={name.lower(): value for name, value in self.headers.items()},
            body=self.rfile.read(length),
        )
        fake = self.server.fake
        answer = fake.handle(recorded)
        if answer.delay and fake.stopping.wait(answer.delay):
            return  # the test is over; nobody is waiting for this answer
        payload = answer.payload()
        try:
            self.send_response(answer.status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            for name, value in answer.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client timed out and hung up, as the timeout tests intend

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep the test output quiet


class FakeServer:
    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._scripts: dict[str, deque[Answer]] = defaultdict(deque)
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.fake = self
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            daemon=True,
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def script(self, path: str, *answers: Answer) -> None:
        """Answer the next requests to ``path`` with these, in order."""
        with self._lock:
            self._scripts[path].extend(answers)

    def calls(self, path: str | None = None) -> list[Recorded]:
        with self._lock:
            return [r for r in self.requests if path is None or r.path == path]

    def handle(self, recorded: Recorded) -> Answer:
        with self._lock:
            self.requests.append(recorded)
            script = self._scripts[recorded.path]
            scripted = script.popleft() if script else None
        return scripted or self.respond(recorded)

    def respond(self, request: Recorded) -> Answer:
        """The provider's own behaviour when nothing is scripted."""
        return Answer(status=404, json={"error": "not found"})


class FakeZalo(FakeServer):
    """Zalo's OA Open API: group messages and token refresh.

    The portal starts with ``access-1``/``refresh-1``. ``expire_access_token()`` makes
    Zalo reject the current access token; a refresh with the current refresh token issues
    ``access-N``/``refresh-N`` and spends the old refresh token, as the real one does.

    ``latency`` (seconds, or a ``(low, high)`` range drawn uniformly) delays every answer
    to a group message that is not scripted. A message Zalo accepts is posted to the group
    at once, before the answer goes back (``accepted``, ``messages_to``), as with the real
    API: a client that never reads the answer has still posted the message.
    """

    APP_ID = "app-ea-ktur"
    SECRET_KEY = "secret-ea-ktur"

    def __init__(
        self,
        *,
        latency: float | tuple[float, float] = 0.0,
        seed: int | None = None,
    ) -> None:
        super().__init__()
        self.access_token: str | None = "access-1"
        self.refresh_token = "refresh-1"
        self.groups = {"group-thon-1", "group-thon-2"}
        self.refresh_delay = 0.0  # to make two workers' refreshes overlap
        self.latency = latency
        self.accepted: list[tuple[str, str]] = []  # (group id, message id), in order
        self._random = random.Random(seed)
        self._slow: deque[float] = deque()
        self._issued = 1
        self._sent = 0

    def slow_next(self, seconds: float, count: int = 1) -> None:
        """Accept the next ``count`` group messages but answer each after ``seconds``."""
        with self._lock:
            self._slow.extend([seconds] * count)

    def messages_to(self, group_id: str) -> list[str]:
        """The ids of the messages posted to ``group_id``: what its members saw."""
        with self._lock:
            return [m for g, m in self.accepted if g == group_id]

    def _latency(self) -> float:
        if isinstance(self.latency, tuple):
            low, high = self.latency
            with self._lock:
                return self._random.uniform(low, high)
        return self.latency

    def expire_access_token(self) -> None:
        self.access_token = None

    def respond(self, request: Recorded) -> Answer:
        if request.path == GROUP_MESSAGE_PATH:
            answer = self._group_message(request)
            with self._lock:
                slow = self._slow.popleft() if self._slow else None
            delay = self._latency() if slow is None else slow
            return replace(answer, delay=delay) if delay else answer
        if request.path == REFRESH_PATH:
            return self._refresh(request)
        return super().respond(request)

    def _group_message(self, request: Recorded) -> Answer:
        if request.headers.get("access_token") != self.access_token:
            return Answer.zalo_error(-216, "Access token is invalid")
        body = request.json()
        group_id = body["recipient"]["group_id"]
        if group_id not in self.groups or not body["message"]["text"]:
            return Answer.zalo_error(-230, "Group is invalid")
        with self._lock:
            self._sent += 1
            message_id = f"msg-{self._sent}"
            self.accepted.append((group_id, message_id))
        data = {"message_id": message_id, "group_id": group_id}
        return Answer(json={"error": 0, "message": "Success", "data": data})

    def _refresh(self, request: Recorded) -> Answer:
        form = request.form()
        if (
            request.headers.get("secret_key") != self.SECRET_KEY
            or form.get("app_id") != self.APP_ID
            or form.get("grant_type") != "refresh_token"
            or form.get("refresh_token") != self.refresh_token
        ):
            return Answer(
                json={"error": -14014, "error_name": "Invalid refresh_token"},
                delay=self.refresh_delay,
            )
        with self._lock:
            self._issued += 1
            self.access_token = f"access-{self._issued}"
            self.refresh_token = f"refresh-{self._issued}"
            tokens = {
                "access_token": self.access_token,
                "refresh_token": self.refresh_token,
                "expires_in": "90000",
            }
        return Answer(json=tokens, delay=self.refresh_delay)
