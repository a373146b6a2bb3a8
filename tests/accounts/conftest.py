"""Fixtures of the sign-in tests: a client from a given address, a sign-in helper."""

import pytest
from django.test import Client

from tests.conftest import PASSWORD

OFFICE = "203.113.10.7"  # the commune office's one NAT address
ELSEWHERE = "14.161.3.9"


@pytest.fixture
def client_at():
    """A test client whose requests come from ``address`` (REMOTE_ADDR)."""

    def make(address: str) -> Client:
        return Client(REMOTE_ADDR=address)

    return make


def sign_in(client: Client, username: str, password: str = PASSWORD, **extra):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, **extra
    )


def fail_times(client: Client, username: str, times: int) -> None:
    for _ in range(times):
        response = sign_in(client, username, "sai-mat-khau-roi")
        assert response.status_code == 200
