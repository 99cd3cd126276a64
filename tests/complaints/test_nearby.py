"""Similar open cases near a point (/api/v1/complaints/nearby/) show what the public map shows and no
more: published categories only, text masked, distances rounded up to 50 m, and so many answers per
client. Three exact distances used to locate a private illegal-parking case to the metre."""

import pytest
from django.core.cache import cache

from apps.common.ratelimit import Limit
from apps.complaints import api, services
from apps.complaints.models import Category

URL = "/api/v1/complaints/nearby/"
CASE_POINT = {"latitude": 37.7381, "longitude": 127.0337}
# Query points about 5 m, 20 m and 45 m from the case, in three directions.
AROUND = [
    {"latitude": 37.73814, "longitude": 127.0337},
    {"latitude": 37.7381, "longitude": 127.03393},
    {"latitude": 37.7377, "longitude": 127.0336},
]


@pytest.fixture(autouse=True)
def _own_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()


def file_case(code: str, description: str = "도로가 패였어요", **fields):
    return services.complaint_submit(
        category=Category.objects.get(code=code), description=description, channel="web", **fields
    ).complaint


def test_cases_of_unpublished_categories_are_never_offered(client, city):
    file_case("illegal-parking", "12가3456 이웃 차", address="호원1동 신일아파트 앞", **CASE_POINT)
    published = file_case("pothole", "도로가 패였어요", address="호원1동 신일아파트 앞", **CASE_POINT)
    for query in (CASE_POINT, {"address": "호원1동 주민센터"}):
        assert client.get(URL, {"category": "illegal-parking", **query}).json() == []
        assert [row["number"] for row in client.get(URL, {"category": "pothole", **query}).json()] == [published.number]


def test_distances_are_rounded_up_to_50_m_so_three_answers_do_not_locate_a_case(client, city):
    case = file_case("pothole", **CASE_POINT)
    for point in AROUND:
        [row] = client.get(URL, {"category": "pothole", **point}).json()
        assert row["number"] == case.number and row["distance_m"] == 50


def test_what_residents_wrote_is_masked_and_the_address_left_out(client, city):
    file_case("pothole", "도로 파임. 010-1234-5678, kim.minwon@naver.com", address="녹양동 123 뒤", **CASE_POINT)
    [row] = client.get(URL, {"category": "pothole", **CASE_POINT}).json()
    assert row["description"] == "도로 파임. 010-****-****, k***@***.com"
    assert set(row) == {"number", "status", "received_at", "distance_m", "dong", "description"}
    assert "녹양동 123" not in str(row)


def test_each_client_may_ask_only_so_often_whatever_headers_it_sends(client, city):
    [per_minute, _] = api.NEARBY_LIMITS
    query = {"category": "pothole", **CASE_POINT}
    for _ in range(per_minute.count):
        assert client.get(URL, query).status_code == 200
    refused = client.get(URL, query, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert client.get(URL, query, REMOTE_ADDR="203.0.113.9").status_code == 200  # another client


def test_an_api_client_is_limited_on_its_own_budget(client, city, monkeypatch):
    monkeypatch.setattr(api, "NEARBY_LIMITS", (Limit(count=1, seconds=60),))
    monkeypatch.setattr(api, "NEARBY_CLIENT_LIMITS", (Limit(count=2, seconds=60),))
    key = services.api_client_create(municipality=city, name="민원 챗봇")[1]
    query = {"category": "pothole", **CASE_POINT}
    assert client.get(URL, query).status_code == 200
    assert client.get(URL, query).status_code == 429
    # The chatbot asks from the same address for every resident it talks to: its key counts apart.
    assert [client.get(URL, query, HTTP_AUTHORIZATION=f"Token {key}").status_code for _ in range(3)] == [200, 200, 429]
    assert client.get(URL, query, HTTP_AUTHORIZATION="Token wrong").status_code == 401
