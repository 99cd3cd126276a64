"""Failed sign-ins to the admin are limited per client and per username, however fast they come."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client

from tests.complaints.test_report_ratelimit import at_once

LOGIN = "/admin/login/"


@pytest.fixture(autouse=True)
def _own_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser("editor", password="correct horse battery")


def sign_in(client, username: str = "editor", password: str = "wrong", address: str = "203.0.113.7"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def page_text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_ten_wrong_passwords_from_one_client_then_a_clear_korean_refusal(client, editor):
    for _ in range(10):
        assert sign_in(client).status_code == 200
    refused = sign_in(client, password="correct horse battery")  # even the right one, for now
    assert refused.status_code == 429 and 840 < int(refused["Retry-After"]) <= 900
    assert "로그인 실패가 너무 많습니다. 15분 후에 다시 시도해 주세요." in page_text(refused)
    assert "_auth_user_id" not in client.session
    # Another username from the same client is refused too: the client is limited.
    assert sign_in(client, username="someone-else").status_code == 429


def test_ten_wrong_passwords_for_one_username_from_many_clients(client, editor):
    for n in range(10):
        assert sign_in(client, username="Editor ", address=f"198.51.100.{n}").status_code == 200
    assert sign_in(client, address="198.51.100.99").status_code == 429
    assert sign_in(client, username="someone-else", address="198.51.100.99").status_code == 200


def test_signing_in_does_not_count_and_works_under_the_limit(client, editor):
    for _ in range(9):
        sign_in(client)
    for _ in range(3):
        assert sign_in(client, password="correct horse battery").status_code == 302
        client.logout()
    assert sign_in(client).status_code == 200  # the tenth failure is still allowed
    assert sign_in(client).status_code == 429


@pytest.mark.django_db(transaction=True)
def test_forty_simultaneous_wrong_passwords_get_at_most_ten_tries(editor):
    def attempt() -> int:
        try:
            return sign_in(Client()).status_code
        finally:
            connection.close()

    answers = at_once(40, attempt)
    assert answers.count(200) == 10 and answers.count(429) == 30
