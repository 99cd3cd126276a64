"""The complaint API as the chatbot uses it: filing with a tracking link, similar cases by the 행정동
of a typed address, status by the last phone digits (its key only, limited per case), and the
category questions in English."""

import json
import threading

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client

from apps.common.tokens import token_hash
from apps.complaints import services
from apps.complaints.models import ApiClient, Category
from tests.complaints.test_report_ratelimit import at_once

CITY_HALL = {"latitude": 37.7381, "longitude": 127.0337}
BOT_KEY = "chatbot-test-key"


@pytest.fixture(autouse=True)
def _own_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()


@pytest.fixture
def bot(city, settings):
    settings.CHATBOT_API_CLIENT_NAME = "민원 챗봇"
    return ApiClient.objects.create(
        municipality=city, name="민원 챗봇", key_hash=token_hash(BOT_KEY), can_look_up_by_phone=True
    )


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("officer", password="x")


def post_json(client, url, body, key=BOT_KEY):
    return client.post(url, json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=f"Token {key}")


def file_case(category: str = "illegal-parking", **fields):
    return services.complaint_submit(
        category=Category.objects.get(code=category), description="골목 입구를 막은 차", channel="web", **fields
    ).complaint


# --- Filing ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("language", "prefix"), [("ko", "/ko/"), ("en", "/en/")])
def test_filing_answers_the_tracking_link_in_the_language_of_the_case(client, bot, settings, language, prefix):
    settings.SITE_URL = "https://portal.example.kr/"
    body = {"category": "pothole", "description": "도로가 패였어요", "language": language, **CITY_HALL}
    created = post_json(client, "/api/v1/complaints/", body).json()
    assert created["tracking_url"] == (
        f"https://portal.example.kr{prefix}complaints/track/{created['number']}/?token={created['tracking_token']}"
    )
    page = client.get(created["tracking_url"].removeprefix("https://portal.example.kr"))
    assert page.status_code == 200 and created["number"] in page.content.decode()


# --- Similar open cases by 행정동 ------------------------------------------------------------------


def test_a_typed_address_finds_open_cases_of_its_dong(client, city, staff):
    same_dong = file_case("pothole", address="호원1동 신일아파트 앞")
    file_case("pothole", address="송산2동 민락로 10")  # another dong
    file_case("sidewalk", address="호원1동 시장 앞")  # another category
    closed = file_case("pothole", address="호원 1동 놀이터")
    services.complaint_answer(complaint=closed, actor=staff, message="메웠습니다")
    found = client.get("/api/v1/complaints/nearby/", {"category": "pothole", "address": "호원1동 주민센터"})
    assert found.status_code == 200
    [row] = found.json()
    assert row["number"] == same_dong.number
    assert row["dong"] == "호원1동" and row["distance_m"] is None
    assert row["description"] == "골목 입구를 막은 차"
    # Illegal parking is not a published category: its cases are nobody else's to find.
    file_case(address="호원1동 신일아파트 앞")
    assert client.get("/api/v1/complaints/nearby/", {"category": "illegal-parking", "address": "호원1동"}).json() == []


def test_a_place_name_leads_to_its_dong(client, city):
    case = file_case("streetlight", address="자금동 주민센터 옆")
    [row] = client.get("/api/v1/complaints/nearby/", {"category": "streetlight", "address": "금오동 럭키아파트"}).json()
    assert row["number"] == case.number
    assert row["description"] == "골목 입구를 막은 차"  # streetlights are published


def test_an_address_naming_no_dong_finds_nothing(client, city):
    file_case("pothole", address="호원1동 신일아파트 앞")
    found = client.get("/api/v1/complaints/nearby/", {"category": "pothole", "address": "우리 집 앞"})
    assert found.status_code == 200 and found.json() == []


def test_coordinates_still_find_cases_within_50_m(client, city):
    case = file_case("pothole", latitude=37.7381, longitude=127.0339)
    [row] = client.get("/api/v1/complaints/nearby/", {"category": "pothole", **CITY_HALL}).json()
    assert row["number"] == case.number and row["distance_m"] == 50


@pytest.mark.parametrize(
    "query",
    [{}, {"latitude": 37.7}, {"longitude": 127.0}, {"address": "  "}],
)
def test_nearby_needs_coordinates_or_an_address(client, city, query):
    assert client.get("/api/v1/complaints/nearby/", {"category": "illegal-parking", **query}).status_code == 400


# --- Status by phone digits --------------------------------------------------------------------


def with_phone(phone: str = "010-2345-6789"):
    return services.complaint_submit(
        category=Category.objects.get(code="streetlight"),
        description="보안등이 꺼졌어요",
        channel="chat",
        contact=services.Contact(phone=phone, consented=True),
        **CITY_HALL,
    ).complaint


def phone_check(client, number: str, digits: str, key: str = BOT_KEY):
    return post_json(client, f"/api/v1/complaints/{number}/status-by-phone/", {"phone_last_digits": digits}, key)


def test_the_last_four_digits_of_the_phone_show_the_case(client, bot, staff):
    case = with_phone()
    services.complaint_accept(complaint=case, actor=staff, message="내일 교체합니다.")
    response = phone_check(client, case.number, "6789")
    assert response.status_code == 200
    status = response.json()
    assert status["number"] == case.number and status["status"] == "accepted"
    assert status["timeline"][-1]["message"] == "내일 교체합니다."
    assert "6789" not in json.dumps(status) and "token" not in status


def test_wrong_digits_and_a_wrong_number_get_the_same_404(client, bot):
    case = with_phone()
    anonymous = file_case(address="의정부동 행복로 12")
    wrong_digits = phone_check(client, case.number, "1234")
    wrong_number = phone_check(client, "2026-999999", "6789")
    no_phone = phone_check(client, anonymous.number, "0000")
    assert wrong_digits.status_code == wrong_number.status_code == no_phone.status_code == 404
    assert wrong_digits.json() == wrong_number.json() == no_phone.json()


def test_five_wrong_tries_lock_the_case_for_an_hour(client, bot):
    case, other = with_phone(), with_phone("010-5555-4321")
    for _ in range(5):
        assert phone_check(client, case.number, "0000").status_code == 404
    locked = phone_check(client, case.number, "6789")  # even the right digits
    assert locked.status_code == 429 and int(locked["Retry-After"]) > 3500
    assert phone_check(client, other.number, "4321").status_code == 200  # other cases are not locked
    for _ in range(5):
        phone_check(client, "2026-999999", "0000")
    assert phone_check(client, "2026-999999", "0000").status_code == 429  # unknown numbers alike


def test_right_digits_do_not_count_as_tries(client, bot):
    case = with_phone()
    for _ in range(6):
        assert phone_check(client, case.number, "6789").status_code == 200


def test_only_the_chatbots_key_may_check_phone_digits(client, bot, city):
    case = with_phone()
    partner_key = services.api_client_create(municipality=city, name="Partner app")[1]
    assert phone_check(client, case.number, "6789", key=partner_key).status_code == 403
    assert phone_check(client, case.number, "6789", key="wrong").status_code == 401
    anonymous = client.post(
        f"/api/v1/complaints/{case.number}/status-by-phone/",
        {"phone_last_digits": "6789"},
        content_type="application/json",
    )
    assert anonymous.status_code in (401, 403)


def test_a_client_merely_named_like_the_bot_may_not_check_phone_digits(client, city, settings):
    settings.CHATBOT_API_CLIENT_NAME = "민원 챗봇"
    case = with_phone()
    namesake_key = services.api_client_create(municipality=city, name="민원 챗봇")[1]
    assert phone_check(client, case.number, "6789", key=namesake_key).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_eighty_simultaneous_guesses_get_at_most_five_answers(bot):
    case = with_phone()

    def guess(digits: str) -> int:
        try:
            return phone_check(Client(), case.number, digits).status_code
        finally:
            connection.close()

    guesses = iter(f"{n:04d}" for n in range(80))
    lock = threading.Lock()

    def next_guess() -> int:
        with lock:
            digits = next(guesses)
        return guess(digits)

    answers = at_once(80, next_guess)
    assert answers.count(404) == 5 and answers.count(429) == 75
    assert guess("6789") == 429  # the case stays locked, right digits included


@pytest.mark.parametrize("digits", ["", "678", "67890", "abcd", "６７８９"])
def test_phone_digits_must_be_four_digits(client, bot, digits):
    case = with_phone()
    assert phone_check(client, case.number, digits).status_code == 400


# --- Category questions in the resident's language ------------------------------------------------


def test_open311_service_definitions_speak_english_on_request(client, city):
    korean = client.get("/open311/v2/services/streetlight.json").json()
    english = client.get("/open311/v2/services/streetlight.json", {"locale": "en"}).json()
    by_code = {attribute["code"]: attribute for attribute in english["attributes"]}
    assert by_code["light_state"]["description"] == "What is wrong with it?"
    assert {value["name"] for value in by_code["light_state"]["values"]} == {
        "Off",
        "Flickering",
        "On in daytime",
        "Damaged",
    }
    assert {a["code"]: a for a in korean["attributes"]}["light_state"]["description"] == "어떤 상태인가요?"


def test_the_schema_documents_the_chatbot_endpoints(client, db):
    paths = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()["paths"]
    assert "/api/v1/complaints/{number}/status-by-phone/" in paths
    assert "/api/v1/alerts/" in paths
    nearby = {parameter["name"] for parameter in paths["/api/v1/complaints/nearby/"]["get"]["parameters"]}
    assert {"category", "latitude", "longitude", "address"} <= nearby
