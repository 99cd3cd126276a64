"""One way of finding the client's address (apps.common.client), trusting exactly TRUSTED_PROXY_COUNT
proxies, for every limiter and every access log: a header the client writes gets it nothing."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import RequestFactory

from apps.chat.consumers import scope_as_request
from apps.common.client import client_address
from apps.common.ratelimit import client_id
from apps.complaints import services
from apps.complaints.models import Category, Complaint, ContactAccess
from tests.complaints.test_report_form import STREETLIGHT, send
from tests.rasa_stand_in import closed_port

TRIAGE = "/api/v1/complaints/triage"


@pytest.fixture(autouse=True)
def _own_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()


def request_with(remote: str, forwarded: str | None = None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **headers)


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, None, "10.0.0.1"),
        (0, "198.51.100.9", "10.0.0.1"),  # no proxy trusted: the header is the client's own words
        (1, None, "10.0.0.1"),  # nothing forwarded: whoever opened the socket
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "198.51.100.9, 203.0.113.7", "203.0.113.7"),  # nginx appended the real one on the right
        (1, "198.51.100.9,203.0.113.7", "203.0.113.7"),
        (2, "198.51.100.9, 203.0.113.7, 10.0.0.2", "203.0.113.7"),  # a balancer, then nginx
        (2, "203.0.113.7", "203.0.113.7"),  # fewer entries than proxies: the leftmost a proxy wrote
        (1, "198.51.100.9, not-an-address", ""),
        (1, "2001:DB8::7", "2001:db8::7"),
    ],
)
def test_the_client_is_as_many_entries_from_the_right_as_there_are_trusted_proxies(
    settings, proxies, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_address(request_with("10.0.0.1", forwarded)) == expected


def test_the_websocket_finds_the_same_client_as_http(settings):
    headers = [(b"host", b"localhost"), (b"x-forwarded-for", b"198.51.100.9, 203.0.113.7")]
    scope = {"headers": headers, "client": ("10.0.0.1", 50000), "server": ("127.0.0.1", 8000)}
    http = request_with("10.0.0.1", "198.51.100.9, 203.0.113.7")
    for proxies, expected in ((0, "10.0.0.1"), (1, "203.0.113.7")):
        settings.TRUSTED_PROXY_COUNT = proxies
        assert client_address(scope_as_request(scope)) == client_address(http) == expected
        assert client_id(scope_as_request(scope)) == client_id(http)


# --- The limiters ---------------------------------------------------------------------------------


@pytest.fixture
def bot_down(settings):
    settings.RASA_URL = f"http://127.0.0.1:{closed_port()}"


def triage(client, **headers):
    return client.post(TRIAGE, json.dumps({"text": "가로등이 꺼졌어요"}), content_type="application/json", **headers)


def test_a_forged_forwarded_for_does_not_reset_the_triage_throttle(client, city, bot_down):
    answers = [triage(client, HTTP_X_FORWARDED_FOR=f"198.51.100.{n % 250}, 10.9.{n}.1").status_code for n in range(120)]
    assert answers.count(200) == 60 and answers[60:] == [429] * 60
    assert triage(client, REMOTE_ADDR="203.0.113.8").status_code == 200  # another client is not affected


def test_behind_one_proxy_the_triage_throttle_counts_the_entry_nginx_appended(client, city, bot_down, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    answers = [triage(client, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.7").status_code for n in range(61)]
    assert answers.count(200) == 60 and answers[-1] == 429
    assert triage(client, HTTP_X_FORWARDED_FOR="203.0.113.7, 203.0.113.8").status_code == 200


@pytest.mark.parametrize("proxies", [0, 1])
def test_the_filing_limit_holds_whatever_forwarded_for_the_client_writes(client, city, settings, proxies):
    settings.TRUSTED_PROXY_COUNT = proxies

    def sent_by(address: str, forged: str) -> dict:
        # The client writes any X-Forwarded-For; nginx, when there is one, appends the address it saw.
        if proxies:
            return {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": f"{forged}, {address}"}
        return {"REMOTE_ADDR": address, "HTTP_X_FORWARDED_FOR": forged}

    answers = [send(client, STREETLIGHT, **sent_by("203.0.113.7", f"198.51.100.{n}")).status_code for n in range(10)]
    assert answers == [302] * 5 + [429] * 5
    assert send(client, STREETLIGHT, **sent_by("203.0.113.8", "198.51.100.1")).status_code == 302


# --- The staff access log ---------------------------------------------------------------------------


def test_the_contact_log_records_the_client_behind_the_proxy(client, city, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    case = services.complaint_submit(
        category=Category.objects.get(code="streetlight"),
        description="보안등이 꺼졌어요",
        channel="web",
        address="의정부동 1",
    ).complaint
    Complaint.objects.filter(pk=case.pk).update(contact_phone="010-2345-6789")
    chief = get_user_model().objects.create_user("chief", password="x")
    chief.groups.add(Group.objects.get(name="민원 총괄"))  # may see contact details, city-wide
    client.force_login(chief)
    headers = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.9, 203.0.113.7"}
    assert client.get(f"/api/v1/staff/complaints/{case.pk}/", **headers).status_code == 200
    assert client.post(f"/admin/complaints/{case.pk}/contact/", **headers).status_code == 200
    assert list(ContactAccess.objects.values_list("ip_address", flat=True)) == ["203.0.113.7", "203.0.113.7"]
