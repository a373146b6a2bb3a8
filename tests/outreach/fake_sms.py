"""A local HTTP SMS gateway that speaks the portal's generic JSON shape."""

from __future__ import annotations

from tests.outreach.fake_zalo import Answer, FakeServer, Recorded

SEND_PATH = "/sms/send"


class FakeSmsGateway(FakeServer):
    """Accepts ``{"to": [...], "text": ..., "client_ref": ...}`` with the right bearer token."""

    TOKEN = "sms-token-ea-ktur"

    def __init__(self) -> None:
        super().__init__()
        self._sent = 0

    @property
    def send_url(self) -> str:
        return self.url + SEND_PATH

    def respond(self, request: Recorded) -> Answer:
        if request.path != SEND_PATH:
            return super().respond(request)
        if request.headers.get("authorization") != f"Bearer {self.TOKEN}":
            return Answer(status=401, json={"error": "unauthorised"})
        body = request.json()
        if not body.get("to") or not body.get("text"):
            return Answer(status=400, json={"error": "to and text are required"})
        with self._lock:
            self._sent += 1
            sms_id = f"sms-{self._sent}"
        return Answer(status=202, json={"id": sms_id})
