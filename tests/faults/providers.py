"""The fake Zalo and SMS gateway, with faults per group and a record of what each group
saw.

``ScriptedZalo`` answers a group's next messages from that group's own script, so that
with several worker threads sending at once the fault lands on the group the test chose
(``FakeServer.script`` queues per URL path, whoever asks first). A script step is:

- an ``Answer``: returned as it is and nothing is posted (an HTTP 503, a Zalo error code,
  ``Answer.hang(s)``: the provider never processed the request and answers too late);
- ``AcceptThenHold(s)``: the message is posted to the group at once and the answer comes
  ``s`` seconds later (the provider took it, the answer is late or never read).

Both fakes keep ``posted``: (target, text, message id) for every message a group's
members saw, so a test counts the messages of one notice in one group.
"""

from __future__ import annotations

import threading
from collections import defaultdict, deque
from dataclasses import dataclass, replace

from tests.outreach.fake_sms import SEND_PATH, FakeSmsGateway
from tests.outreach.fake_zalo import GROUP_MESSAGE_PATH, Answer, FakeZalo, Recorded


@dataclass(frozen=True)
class Posted:
    target: str
    text: str
    message_id: str


@dataclass(frozen=True)
class AcceptThenHold:
    seconds: float


class _Records:
    """What both fakes share: the posted messages, and who is being held right now."""

    def _init_records(self) -> None:
        self.posted: list[Posted] = []
        self._records_lock = threading.Lock()

    def _post(self, target: str, text: str, message_id: str) -> None:
        with self._records_lock:
            self.posted.append(Posted(target, text, message_id))

    def messages(self, target: str, text: str) -> list[str]:
        """The ids of the messages ``target`` got with exactly this ``text``."""
        with self._records_lock:
            return [
                p.message_id
                for p in self.posted
                if (p.target, p.text) == (target, text)
            ]

    def all_posted(self) -> list[Posted]:
        with self._records_lock:
            return list(self.posted)


class ScriptedZalo(_Records, FakeZalo):
    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._init_records()
        self._group_scripts: dict[str, deque] = defaultdict(deque)

    def fail(self, group_id: str, *steps: Answer | AcceptThenHold) -> None:
        """Answer ``group_id``'s next messages with ``steps``, then normally."""
        with self._lock:
            self._group_scripts[group_id].extend(steps)

    def calls_to(self, group_id: str) -> int:
        """How many group messages were asked for ``group_id`` (posted or not)."""
        return sum(
            1
            for r in self.calls(GROUP_MESSAGE_PATH)
            if r.json()["recipient"]["group_id"] == group_id
        )

    def respond(self, request: Recorded) -> Answer:
        if request.path != GROUP_MESSAGE_PATH:
            return super().respond(request)
        group_id = request.json()["recipient"]["group_id"]
        with self._lock:
            script = self._group_scripts[group_id]
            step = script.popleft() if script else None
        if isinstance(step, Answer):
            return step
        if isinstance(step, AcceptThenHold):
            return replace(self._group_message(request), delay=step.seconds)
        return super().respond(request)

    def _group_message(self, request: Recorded) -> Answer:
        answer = super()._group_message(request)
        if answer.json.get("error") == 0:
            body = request.json()
            self._post(
                body["recipient"]["group_id"],
                body["message"]["text"],
                answer.json["data"]["message_id"],
            )
        return answer


class RecordingSms(_Records, FakeSmsGateway):
    """The SMS gateway; a group's target is its comma-separated numbers, as stored."""

    def __init__(self) -> None:
        super().__init__()
        self._init_records()

    def respond(self, request: Recorded) -> Answer:
        answer = super().respond(request)
        if request.path == SEND_PATH and answer.status == 202:
            body = request.json()
            self._post(",".join(body["to"]), body["text"], answer.json["id"])
        return answer
