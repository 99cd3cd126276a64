"""POST /api/v1/complaints/triage: the bot's model first, the baseline when the bot cannot answer.

The real model is exercised against the running product in tests/stack/test_triage_stack.py.
Here the bot is either absent (nothing listens at RASA_URL) or a small HTTP server that answers
`/model/parse` the way Rasa does, to pin down how its ranking becomes the city's categories."""

import json
import time

import pytest
from django.core.cache import cache

from apps.complaints import triage
from apps.complaints.models import Category
from tests.rasa_stand_in import RasaStandIn, closed_port

TRIAGE = "/api/v1/complaints/triage"


def post(client, body):
    return client.post(TRIAGE, json.dumps(body), content_type="application/json")


@pytest.fixture(autouse=True)
def _bot_down(settings):
    """Nothing listens at RASA_URL unless a test starts a bot of its own."""
    settings.RASA_URL = f"http://127.0.0.1:{closed_port()}"


@pytest.fixture(autouse=True)
def _own_cache(settings):
    """The triage throttle counts in a cache of this test's own, not the shared var/cache."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()


class ParseStandIn(RasaStandIn):
    """Answers POST /model/parse with a fixed body."""

    def __init__(self):
        self.body: object = {}
        super().__init__(reply=lambda request: self.body)

    def answer(self, *ranking: tuple[str, float]):
        intents = [{"name": name, "confidence": confidence} for name, confidence in ranking]
        self.body = {"text": "...", "intent": intents[0], "intent_ranking": intents, "entities": []}


@pytest.fixture
def bot(settings):
    stand_in = ParseStandIn()
    settings.RASA_URL = stand_in.url
    settings.RASA_AUTH_TOKEN = stand_in.token
    yield stand_in
    stand_in.close()


# --- Without the bot: the baseline, and it says so ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "category", "department"),
    [
        ("아파트 뒤 보안등이 며칠째 안 켜져요", "streetlight", "road-lighting"),
        ("소화전 바로 앞에 승용차가 서 있어요", "hydrant-parking", "parking-enforcement"),
        ("도로에 포트홀이 깊게 파였어요", "pothole", "road-maintenance"),
        ("중랑천 자전거길 바닥이 갈라졌어요", "river-walkway", "eco-rivers"),
        ("The streetlight outside my house is flickering", "streetlight", "road-lighting"),
        ("Someone dumped rubbish bags by the pole, illegal dumping", "illegal-dumping", "waste-enforcement"),
    ],
)
def test_with_the_bot_down_the_baseline_suggests_the_category_and_its_department(
    client, city, text, category, department
):
    response = post(client, {"text": text})
    assert response.status_code == 200
    result = response.json()
    assert (result["category"], result["department"], result["source"]) == (category, department, "baseline"), result
    assert 0 < result["confidence"] <= 1
    assert len(result["alternatives"]) == 2


def test_what_nothing_matches_goes_to_the_triage_desk(client, city):
    result = post(client, {"text": "ㅋㅋㅋ"}).json()
    assert result == {
        "category": "other",
        "department": "civil-affairs",
        "confidence": 0.0,
        "alternatives": [],
        "source": "baseline",
    }


@pytest.mark.parametrize("body", [{}, {"text": ""}, {"text": "가" * 4001}, ["text"]])
def test_triage_refuses_bad_input_clearly(client, city, body):
    assert post(client, body).status_code == 400


# --- With the bot: its report_* intents become the city's categories ------------------------------


def test_the_models_ranking_becomes_the_citys_categories(client, city, bot):
    bot.answer(
        ("nlu_fallback", 0.7),
        ("report_streetlight", 0.6234),
        ("greet", 0.2),
        ("report_pothole", 0.1),
        ("check_status", 0.04),
        ("report_sidewalk", 0.03),
        ("report_traffic_signal", 0.003),
    )
    result = post(client, {"text": "  행복로 가로등이 깜빡거려요  "}).json()
    assert result == {
        "category": "streetlight",
        "department": "road-lighting",
        "confidence": 0.623,
        "alternatives": [{"category": "pothole", "confidence": 0.1}, {"category": "sidewalk", "confidence": 0.03}],
        "source": "model",
    }
    assert bot.received == [{"path": "/model/parse", "json": {"text": "행복로 가로등이 깜빡거려요"}}]


def test_the_triage_desk_is_a_category_the_model_can_choose(client, city, bot):
    bot.answer(("report_other", 0.81), ("help", 0.1), ("report_welfare", 0.05))
    result = post(client, {"text": "민원 넣고 싶어요"}).json()
    assert (result["category"], result["department"], result["source"]) == ("other", "civil-affairs", "model")


def test_categories_the_city_has_switched_off_are_never_suggested(client, city, bot):
    Category.objects.filter(municipality=city, code="streetlight").update(is_active=False)
    bot.answer(("report_streetlight", 0.9), ("report_pothole", 0.06), ("report_sidewalk", 0.02), ("greet", 0.01))
    result = post(client, {"text": "가로등이 꺼졌어요"}).json()
    # Below the floor once streetlight is gone, so the baseline answers, and never with streetlight.
    assert result["source"] == "baseline"
    assert "streetlight" not in [result["category"], *(a["category"] for a in result["alternatives"])]

    bot.answer(("report_streetlight", 0.5), ("report_pothole", 0.3), ("report_sidewalk", 0.1))
    result = post(client, {"text": "가로등이 꺼졌어요"}).json()
    assert (result["category"], result["source"]) == ("pothole", "model")
    assert [a["category"] for a in result["alternatives"]] == ["sidewalk"]


def test_an_unsure_model_leaves_it_to_the_baseline(client, city, bot):
    bot.answer(("greet", 0.9), ("report_streetlight", triage.MODEL_MIN_CONFIDENCE / 2), ("goodbye", 0.01))
    result = post(client, {"text": "소화전 바로 앞에 승용차가 서 있어요"}).json()
    assert (result["category"], result["source"]) == ("hydrant-parking", "baseline")


@pytest.mark.parametrize(
    ("status", "body"),
    [(500, {"error": "boom"}), (409, {"message": "No model loaded"}), (200, b"<html>not json</html>"), (200, [1, 2])],
)
def test_a_bot_that_fails_leaves_it_to_the_baseline(client, city, bot, status, body):
    bot.status, bot.body = status, body
    result = post(client, {"text": "아파트 뒤 보안등이 며칠째 안 켜져요"}).json()
    assert (result["category"], result["source"]) == ("streetlight", "baseline")


def test_a_bot_that_hangs_is_not_waited_for(client, city, bot, monkeypatch):
    monkeypatch.setattr(triage, "MODEL_TIMEOUT", 0.2)
    bot.answer(("report_pothole", 0.99))
    bot.delay = 1.0
    started = time.monotonic()
    result = post(client, {"text": "아파트 뒤 보안등이 며칠째 안 켜져요"}).json()
    assert time.monotonic() - started < 1.0
    assert (result["category"], result["source"]) == ("streetlight", "baseline")
