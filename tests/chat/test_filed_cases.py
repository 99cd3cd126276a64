"""When Rasa dies around a filing: the portal, which saw the case filed through its API with the
conversation's id, tells the resident the number and link itself; and the form it offers when the
bot is down carries the report as told, not the last message."""

import json
import threading
import uuid
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from asgiref.sync import sync_to_async
from django.test import Client

from apps.chat import services
from apps.chat.ids import conversation_id_unsign
from apps.chat.models import Conversation, FiledCase, Message
from apps.common.tokens import token_hash
from apps.complaints.models import ApiClient, Complaint
from tests.chat.conftest import ChatClient

# The push to an open widget goes through the channel layer (its own database on the default setup).
pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "channels"])

BOT_KEY = "chat-test-bot-key"
PARTNER_KEY = "chat-test-partner-key"


@pytest.fixture
def bot_client(city, settings) -> ApiClient:
    return ApiClient.objects.create(
        municipality=city, name=settings.CHATBOT_API_CLIENT_NAME, key_hash=token_hash(BOT_KEY), consent_purpose="안내"
    )


def file_through_the_api(conversation: str, key: str = BOT_KEY, language: str = "ko") -> dict:
    """What the bot's action server does when the resident confirms: POST /api/v1/complaints/."""
    body = {
        "category": "pothole",
        "description": "도로 한가운데가 깊게 패였어요",
        "address": "의정부역 2번 출구 앞",
        "channel": "chat",
        "language": language,
        "conversation": conversation,
    }
    response = Client().post(
        "/api/v1/complaints/", json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=f"Token {key}"
    )
    assert response.status_code == 201, response.content
    return response.json()


def filing_bot(rasa, *, file_first: bool, answer: bool, language: str = "ko"):
    """A stand-in Rasa whose action files the case on "/affirm": before answering (file_first) or
    once the portal has given up on it; then it answers as Rasa does, or fails (Rasa died)."""
    filed: list[dict] = []

    def reply(body: dict):
        if body["message"] != "/affirm":
            return [{"recipient_id": body["sender"], "text": "접수할까요?"}]
        if file_first:
            filed.append(file_through_the_api(body["sender"], language=language))
        else:
            threading.Timer(0.5, lambda: filed.append(file_through_the_api(body["sender"], language=language))).start()
        if not answer:
            rasa.status = 500
            return {"error": "rasa died"}
        rasa.status = 200
        return [{"recipient_id": body["sender"], "text": f"접수되었어요. 민원 번호 {filed[0]['number']}"}]

    rasa.reply = reply
    return filed


@sync_to_async
def transcript(signed: str) -> list[tuple[str, str]]:
    messages = Message.objects.filter(conversation__uuid=conversation_id_unsign(signed)).order_by("created_at", "pk")
    return [(message.sender, message.text) for message in messages]


@sync_to_async
def filed_cases() -> list[tuple[str, bool]]:
    cases = FiledCase.objects.select_related("complaint")
    return [(filed.complaint.number, filed.told_at is not None) for filed in cases]


async def test_a_case_filed_just_before_rasa_died_is_told_by_the_portal(bot_client, rasa):
    filed = filing_bot(rasa, file_first=True, answer=False)
    client = ChatClient()
    try:
        welcome = await client.hello()
        await client.say("도로가 패였어요")
        answers = await client.say("네", payload="/affirm")
    finally:
        await client.disconnect()

    number = filed[0]["number"]
    # The number and the private link, not "the assistant cannot answer" with the form again.
    assert [answer["type"] for answer in answers] == ["typing", "bot"]
    [told] = answers[-1]["messages"]
    assert number in told["text"] and filed[0]["tracking_url"] in told["text"]
    assert (await transcript(welcome["conversation"]))[-1] == ("bot", told["text"])
    assert await filed_cases() == [(number, True)]


async def test_a_case_filed_after_the_portal_gave_up_on_rasa_is_pushed_to_the_open_widget(bot_client, rasa):
    filed = filing_bot(rasa, file_first=False, answer=False, language="en")
    client = ChatClient()
    try:
        welcome = await client.hello(language="en")
        answers = await client.say("Yes", payload="/affirm")
        assert answers[-1]["code"] == "bot_down"
        pushed = await client.receive_json_from(timeout=10)
    finally:
        await client.disconnect()

    number = filed[0]["number"]
    assert pushed["type"] == "bot"
    [told] = pushed["messages"]
    assert told["text"].startswith(f"Your report has been filed as case {number}.")
    assert filed[0]["tracking_url"] in told["text"]
    assert (await transcript(welcome["conversation"]))[-1] == ("bot", told["text"])
    assert await filed_cases() == [(number, True)]


async def test_a_case_the_bot_announced_is_not_told_again(bot_client, rasa, settings, closed_port):
    filed = filing_bot(rasa, file_first=True, answer=True)
    client = ChatClient()
    try:
        welcome = await client.hello()
        answers = await client.say("네", payload="/affirm")
        assert filed[0]["number"] in answers[-1]["messages"][0]["text"]
        settings.RASA_URL = f"http://127.0.0.1:{closed_port}"
        later = await client.say("고마워요")
    finally:
        await client.disconnect()
    assert later[-1]["code"] == "bot_down"
    assert [sender for sender, _ in await transcript(welcome["conversation"])] == ["resident", "bot", "resident"]
    assert await filed_cases() == [(filed[0]["number"], True)]


def test_only_the_chatbot_may_name_a_conversation_and_only_one_of_its_city(bot_client, city):
    ApiClient.objects.create(municipality=city, name="협력 앱", key_hash=token_hash(PARTNER_KEY))
    conversation = services.conversation_start(municipality=city, language="ko")
    services.conversation_bot_failed(conversation=conversation)  # a message the bot did not answer

    file_through_the_api(str(conversation.uuid), key=PARTNER_KEY)
    file_through_the_api(str(uuid.uuid4()))  # no such conversation
    assert not FiledCase.objects.exists() and not conversation.messages.exists()

    case = file_through_the_api(str(conversation.uuid))
    assert FiledCase.objects.get().complaint.number == case["number"]
    assert case["number"] in conversation.messages.get().text
    assert Complaint.objects.count() == 3  # every case was filed all the same


def test_a_filed_case_link_is_deleted_with_the_transcript(bot_client, city, settings):
    conversation = services.conversation_start(municipality=city, language="ko")
    file_through_the_api(str(conversation.uuid))
    Conversation.objects.filter(pk=conversation.pk).update(last_activity_at="2000-01-01T00:00Z")
    FiledCase.objects.update(created_at="2000-01-01T00:00Z")
    services.conversations_delete_expired(retention=timedelta(days=30))
    assert not FiledCase.objects.exists()


# --- The form offered when the bot is down ---------------------------------------------------------


@sync_to_async
def told_so_far(tracker_events, signed: str, slots: dict) -> None:
    sender = str(conversation_id_unsign(signed))
    tracker_events.add(sender, {"event": "session_started"})
    for name, value in slots.items():
        tracker_events.slot(sender, name, value)


REPORT = {
    "complaint_category": "streetlight",
    "complaint_description": "가로등이 밤새 깜빡거려요",
    "complaint_location": {"address": "호원1동 신일아파트 정문", "latitude": None, "longitude": None},
}


@pytest.mark.parametrize(
    ("slots", "message", "expected"),
    [
        # At the summary: the "네" confirms; the form gets the report, not "네".
        (
            {**REPORT, "contact_details": {"phone": "010-2345-6789"}, "requested_slot": "complaint_confirmed"},
            "네",
            {
                "description": ["가로등이 밤새 깜빡거려요"],
                "category": ["streetlight"],
                "address": ["호원1동 신일아파트 정문"],
            },
        ),
        # Asked for a phone number: the number is not the description.
        (
            {**REPORT, "requested_slot": "contact_details"},
            "010-2345-6789",
            {
                "description": ["가로등이 밤새 깜빡거려요"],
                "category": ["streetlight"],
                "address": ["호원1동 신일아파트 정문"],
            },
        ),
        # Asked where: the unanswered message is the place; a shared point comes as coordinates.
        (
            {
                "complaint_category": "streetlight",
                "complaint_description": "가로등이 꺼졌어요",
                "requested_slot": "complaint_location",
            },
            "시민로 1 앞",
            {"description": ["가로등이 꺼졌어요"], "category": ["streetlight"], "address": ["시민로 1 앞"]},
        ),
        (
            {
                "complaint_category": "pothole",
                "complaint_location": {"address": None, "latitude": 37.738, "longitude": 127.045},
                "requested_slot": "complaint_description",
            },
            "도로가 깊게 패였어요",
            {
                "description": ["도로가 깊게 패였어요"],
                "category": ["pothole"],
                "latitude": ["37.738"],
                "longitude": ["127.045"],
            },
        ),
        # No report under way: what was typed is the description, as before.
        ({"language": "ko"}, "가로등이 고장났어요", {"description": ["가로등이 고장났어요"]}),
    ],
)
async def test_the_form_offered_when_the_bot_is_down_carries_the_report_told_so_far(
    city, tracker_events, settings, closed_port, slots, message, expected
):
    settings.RASA_URL = f"http://127.0.0.1:{closed_port}"
    client = ChatClient()
    try:
        welcome = await client.hello()
        await told_so_far(tracker_events, welcome["conversation"], slots)
        answers = await client.say(message)
    finally:
        await client.disconnect()
    assert answers[-1]["code"] == "bot_down"
    assert parse_qs(urlsplit(answers[-1]["report_url"]).query) == expected


async def test_a_new_session_starts_the_report_afresh(city, tracker_events, settings, closed_port):
    settings.RASA_URL = f"http://127.0.0.1:{closed_port}"
    client = ChatClient()
    try:
        welcome = await client.hello()
        await told_so_far(tracker_events, welcome["conversation"], REPORT)
        await told_so_far(tracker_events, welcome["conversation"], {"language": "ko"})  # after 60 min of silence
        answers = await client.say("주차 문제예요")
    finally:
        await client.disconnect()
    assert parse_qs(urlsplit(answers[-1]["report_url"]).query) == {"description": ["주차 문제예요"]}


def test_the_report_form_opens_with_the_report_from_the_chat(client, city):
    response = client.get(
        "/ko/complaints/report/",
        {
            "description": "가로등이 밤새 깜빡거려요",
            "category": "streetlight",
            "address": "호원1동 신일아파트 정문",
            "latitude": "37.738",
            "longitude": "127.045",
        },
    )
    form = response.context["form"]
    assert form["description"].value() == "가로등이 밤새 깜빡거려요"
    assert form["category"].value() == "streetlight" and form["address"].value() == "호원1동 신일아파트 정문"
    assert (form["latitude"].value(), form["longitude"].value()) == (37.738, 127.045)
    assert 'value="streetlight" selected' in response.content.decode()


def test_a_report_link_with_a_point_off_the_map_opens_the_form_without_it(client, city):
    response = client.get("/ko/complaints/report/", {"description": "x", "latitude": "nan", "longitude": "500"})
    assert response.status_code == 200
    assert response.context["form"]["latitude"].value() is None
