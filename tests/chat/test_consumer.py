"""The chat websocket against a stand-in that answers as Rasa's REST webhook does."""

import logging
import time
import uuid
from urllib.parse import parse_qs, urlsplit

import pytest
from asgiref.sync import sync_to_async
from django.core import signing

from apps.chat.consumers import BOT_HEALTH, MESSAGE_LIMITS_PER_CONVERSATION, START_LIMITS_PER_ADDRESS
from apps.chat.ids import conversation_id_sign, conversation_id_unsign
from apps.chat.models import Conversation, Message
from tests.chat.conftest import GREETING_EN, GREETING_KO, ChatClient, say_once

pytestmark = pytest.mark.django_db(transaction=True)


@sync_to_async
def stored(conversation: str | None = None) -> list[tuple[str, str, dict]]:
    messages = Message.objects.order_by("created_at", "pk")
    if conversation:
        messages = messages.filter(conversation__uuid=conversation_id_unsign(conversation))
    return [(message.sender, message.text, message.payload) for message in messages]


async def test_a_greeting_is_stored_relayed_and_answered(city, rasa):
    client = ChatClient()
    try:
        welcome = await client.hello(language="ko")
        assert welcome["history"] == []
        answers = await client.say("안녕하세요")
    finally:
        await client.disconnect()

    assert [answer["type"] for answer in answers] == ["typing", "bot"]
    assert answers[1]["messages"] == [{"text": GREETING_KO, "buttons": [], "image": None, "custom": None}]
    conversation = await Conversation.objects.aget(uuid=conversation_id_unsign(welcome["conversation"]))
    assert conversation.language == "ko" and conversation.municipality_id == city.pk
    # Rasa hears the conversation's uuid as its sender, and the page's language.
    assert rasa.received == [
        {
            "path": "/webhooks/rest/webhook",
            "json": {"sender": str(conversation.uuid), "message": "안녕하세요", "metadata": {"language": "ko"}},
        }
    ]
    assert await stored() == [("resident", "안녕하세요", {}), ("bot", GREETING_KO, {})]


async def test_a_button_sends_its_payload_to_the_bot_and_its_title_to_the_transcript(city, rasa):
    answers = await say_once("신고하기", payload="/report")
    assert rasa.received[-1]["json"]["message"] == "/report"
    buttons = answers[-1]["messages"][0]["buttons"]
    assert buttons[0] == {"title": "불법 주정차", "payload": '/inform{"category": "illegal_parking"}'}
    assert (await stored())[0] == ("resident", "신고하기", {"payload": "/report"})
    assert (await stored())[1][2]["buttons"] == buttons


async def test_location_and_photos_reach_the_bot_as_metadata(city, rasa):
    location = {"latitude": 37.7381, "longitude": 127.0337}
    photo = "1f0e4d52-3c1b-4a0e-9a51-3c0f1d2e4b5a"
    client = ChatClient()
    try:
        await client.hello(language="en")
        answers = await client.say("📍 My location", payload="/share_location", metadata={"location": location})
        await client.say("1 photo", payload="/send_photos", metadata={"photos": [photo]})
    finally:
        await client.disconnect()
    assert rasa.received[0]["json"]["metadata"] == {"language": "en", "location": location}
    assert rasa.received[1]["json"]["metadata"] == {"language": "en", "photos": [photo]}
    assert [message["text"] for message in answers[-1]["messages"]] == ["위치를 받았어요.", ""]
    assert answers[-1]["messages"][1]["image"] == "/static/x.png"
    assert (await stored())[0][2] == {"payload": "/share_location", "metadata": {"location": location}}


async def test_the_conversation_comes_back_after_a_page_load(city, rasa):
    first = ChatClient()
    try:
        welcome = await first.hello()
        await first.say("안녕하세요")
        await first.say("신고하기", payload="/report")
    finally:
        await first.disconnect()

    again = ChatClient()
    try:
        welcome_back = await again.hello(conversation=welcome["conversation"])
    finally:
        await again.disconnect()
    assert welcome_back["conversation"] == welcome["conversation"]
    history = welcome_back["history"]
    assert [(line["sender"], line["text"]) for line in history] == [
        ("resident", "안녕하세요"),
        ("bot", GREETING_KO),
        ("resident", "신고하기"),
        ("bot", "어떤 문제인가요?"),
    ]
    assert history[-1]["buttons"][1]["title"] == "가로등 고장"
    assert await Conversation.objects.acount() == 1


@pytest.mark.parametrize("forgery", ["guessed", "bare uuid", "signature altered", "signed for something else"])
async def test_a_forged_conversation_id_starts_a_new_conversation_and_reveals_nothing(city, rasa, forgery):
    owner = ChatClient(address="203.0.113.1")
    try:
        theirs = await owner.hello()
        await owner.say("우리집 앞 가로등이 꺼졌어요. 010-1234-5678")
    finally:
        await owner.disconnect()
    conversation_uuid = conversation_id_unsign(theirs["conversation"])
    value, signature = theirs["conversation"].split(":")
    forged = {
        "guessed": "1",
        "bare uuid": str(conversation_uuid),
        "signature altered": f"{value}:{signature[::-1]}",
        "signed for something else": signing.Signer(salt="something.else").sign(str(conversation_uuid)),
    }[forgery]

    intruder = ChatClient(address="198.51.100.9")
    try:
        welcome = await intruder.hello(conversation=forged)
    finally:
        await intruder.disconnect()
    assert welcome["history"] == []
    assert conversation_id_unsign(welcome["conversation"]) != conversation_uuid
    assert await Conversation.objects.acount() == 2


async def test_a_bot_that_is_down_is_reported_within_three_seconds_and_the_message_is_kept(
    city, rasa, settings, closed_port
):
    settings.RASA_URL = f"http://127.0.0.1:{closed_port}"
    client = ChatClient()
    try:
        welcome = await client.hello(language="en")
        started = time.monotonic()
        answers = await client.say("The streetlight at 시민로 1 is out")
        elapsed = time.monotonic() - started
        # The socket stays usable: the next message is stored and refused the same way.
        again = await client.say("Are you there?")
    finally:
        await client.disconnect()
    assert elapsed < 3
    assert [answer["type"] for answer in answers] == ["typing", "error"]
    error = answers[-1]
    assert error["code"] == "bot_down"
    assert "cannot answer right now" in error["message"]
    link = urlsplit(error["report_url"])
    assert link.path == "/en/complaints/report/"
    assert parse_qs(link.query) == {"description": ["The streetlight at 시민로 1 is out"]}
    assert again[-1]["code"] == "bot_down"
    assert [text for _, text, _ in await stored(welcome["conversation"])] == [
        "The streetlight at 시민로 1 is out",
        "Are you there?",
    ]


async def test_a_bot_that_never_answers_the_connection_is_reported_within_three_seconds(
    city, settings, unresponsive_port
):
    settings.RASA_URL = f"http://127.0.0.1:{unresponsive_port}"
    client = ChatClient()
    try:
        await client.hello()
        started = time.monotonic()
        answers = await client.say("안녕하세요")
        elapsed = time.monotonic() - started
    finally:
        await client.disconnect()
    assert answers[-1]["code"] == "bot_down"
    assert 2 < elapsed < 3  # the connect timeout, not an immediate refusal
    assert parse_qs(urlsplit(answers[-1]["report_url"]).query) == {"description": ["안녕하세요"]}


async def test_a_bot_that_fails_is_reported_like_one_that_is_down(city, rasa):
    rasa.status = 500
    answers = await say_once("안녕하세요")
    assert answers[-1]["code"] == "bot_down"
    assert urlsplit(answers[-1]["report_url"]).path == "/ko/complaints/report/"
    assert [sender for sender, _, _ in await stored()] == ["resident"]


async def test_a_bot_that_answers_nothing_is_reported_like_one_that_is_down(city, rasa):
    """Rasa answers [] when it fails inside a turn (its Redis lock store unreachable): the resident is
    offered the form rather than left waiting."""
    rasa.reply = lambda body: []
    answers = await say_once("가로등이 꺼졌어요")
    assert answers[-1]["type"] == "error" and answers[-1]["code"] == "bot_down"
    assert [sender for sender, _, _ in await stored()] == ["resident"]


async def test_the_bot_hears_only_a_portal_that_sends_its_token(city, rasa, settings):
    """Rasa refuses a request without its token (401), as the stand-in does: a portal configured
    with another token is told nothing and says the bot is down."""
    settings.RASA_AUTH_TOKEN = "not-the-token"
    answers = await say_once("안녕하세요")
    assert answers[-1]["code"] == "bot_down"
    assert rasa.received == []


async def test_the_token_stays_out_of_the_log(city, rasa, settings, closed_port, caplog):
    """requests names the whole URL, ?token= included, in its errors; the log gets it without."""
    for url in (rasa.url, f"http://127.0.0.1:{closed_port}"):  # refused with 401, then unreachable
        settings.RASA_URL = url
        settings.RASA_AUTH_TOKEN = "a-token-nobody-may-read"
        answers = await say_once("안녕하세요")
        assert answers[-1]["code"] == "bot_down"
    assert "did not answer" in caplog.text and "a-token-nobody-may-read" not in caplog.text


BAD_FRAMES = [
    "not json",
    "[1, 2, 3]",
    '"hello"',
    '{"type": "shout", "text": "hi"}',
    '{"text": "no type"}',
    '{"type": "message", "text": 42}',
    '{"type": "message", "text": "   "}',
    '{"type": "message"}',
    '{"type": "message", "text": "hi", "payload": ["/greet"]}',
    '{"type": "message", "text": "hi", "metadata": "here"}',
    '{"type": "message", "text": "hi", "metadata": {"language": "fr"}}',
    '{"type": "message", "text": "hi", "metadata": {"location": {"latitude": 95, "longitude": 127}}}',
    '{"type": "message", "text": "hi", "metadata": {"location": {"latitude": "37.7", "longitude": 127}}}',
    '{"type": "message", "text": "hi", "metadata": {"location": {"latitude": true, "longitude": 127}}}',
    '{"type": "message", "text": "hi", "metadata": {"location": {"latitude": 37.7}}}',
    '{"type": "message", "text": "hi", "metadata": {"photos": ["not-a-uuid"]}}',
    '{"type": "message", "text": "hi", "metadata": {"photos": []}}',
    '{"type": "hello", "conversation": 12, "language": "ko"}',
    '{"type": "hello", "conversation": null, "language": "fr"}',
]


async def test_anything_malformed_is_refused_stores_nothing_and_the_socket_stays_usable(city, rasa):
    client = ChatClient()
    try:
        connected, _ = await client.connect()
        assert connected
        # Before hello there is no conversation to add a message to.
        before = await client.say("안녕하세요")
        await client.hello()
        refusals = []
        for frame in BAD_FRAMES:
            await client.send_to(text_data=frame)
            refusals.append(await client.receive_json_from(timeout=5))
        await client.send_to(bytes_data=b"\x00\x01")
        refusals.append(await client.receive_json_from(timeout=5))
        assert await stored() == []
        answers = await client.say("안녕하세요")
    finally:
        await client.disconnect()
    assert before[-1]["code"] == "bad_request"
    assert [(refusal["type"], refusal["code"]) for refusal in refusals] == [("error", "bad_request")] * (
        len(BAD_FRAMES) + 1
    )
    assert all(
        refusal["message"] and urlsplit(refusal["report_url"]).path == "/ko/complaints/report/" for refusal in refusals
    )
    assert answers[-1]["type"] == "bot"
    assert rasa.received and len(rasa.received) == 1


async def test_a_message_over_a_thousand_characters_is_refused_whole(city, rasa):
    client = ChatClient()
    try:
        await client.hello(language="en")
        too_long = await client.say("가" * 1001)
        huge = await client.say("가" * 50_000)
        just_fits = await client.say("가" * 1000)
    finally:
        await client.disconnect()
    assert too_long[-1]["code"] == "too_long" and "1000 characters" in too_long[-1]["message"]
    # The link carries as much as a proxy lets through; the widget keeps the whole text.
    assert parse_qs(urlsplit(too_long[-1]["report_url"]).query)["description"] == ["가" * 800]
    assert huge[-1]["code"] == "too_long"
    assert just_fits[-1]["type"] == "bot"
    assert [len(text) for _, text, _ in await stored()] == [1000, len(GREETING_EN)]


async def test_one_conversation_is_limited_and_what_was_refused_is_not_stored(city, rasa):
    limit = MESSAGE_LIMITS_PER_CONVERSATION[0].count
    client = ChatClient()
    try:
        await client.hello(language="en")
        for number in range(limit):
            assert (await client.say(f"message {number}"))[-1]["type"] == "bot"
        refused = await client.say("one too many")
    finally:
        await client.disconnect()
    assert refused[-1]["code"] == "rate_limited"
    assert "too quickly" in refused[-1]["message"]
    assert parse_qs(urlsplit(refused[-1]["report_url"]).query) == {"description": ["one too many"]}
    assert "one too many" not in [text for _, text, _ in await stored()]
    # Someone else at the same address (a carrier's NAT) can still talk.
    neighbour = ChatClient()
    try:
        await neighbour.hello()
        assert (await neighbour.say("안녕하세요"))[-1]["type"] == "bot"
    finally:
        await neighbour.disconnect()


async def test_one_address_may_start_only_so_many_conversations(city, rasa):
    limit = START_LIMITS_PER_ADDRESS[0].count
    for _ in range(limit):
        client = ChatClient(address="203.0.113.50")
        try:
            await client.hello()
        finally:
            await client.disconnect()
    client = ChatClient(address="203.0.113.50")
    try:
        connected, _ = await client.connect()
        assert connected
        await client.send_json_to({"type": "hello", "conversation": None, "language": "ko"})
        refused = await client.receive_json_from(timeout=5)
    finally:
        await client.disconnect()
    assert refused["type"] == "error" and refused["code"] == "rate_limited"
    assert await Conversation.objects.acount() == limit
    # Another address is not affected.
    other = ChatClient(address="203.0.113.51")
    try:
        await other.hello()
    finally:
        await other.disconnect()


async def test_the_signed_id_names_the_conversation_and_nothing_else():
    conversation_uuid = uuid.uuid4()
    signed = conversation_id_sign(conversation_uuid)
    assert conversation_id_unsign(signed) == conversation_uuid
    assert conversation_id_unsign(str(conversation_uuid)) is None
    assert conversation_id_unsign(None) is None


async def test_a_socket_from_another_site_is_refused(db):
    client = ChatClient(origin=b"http://evil.example")
    connected, _ = await client.connect()
    assert not connected


async def test_an_outage_of_the_bot_is_one_warning_in_the_log(city, rasa, settings, closed_port, caplog, monkeypatch):
    """Every message fails while the bot is down: expected after the first, so logged at INFO."""
    monkeypatch.setattr(BOT_HEALTH, "down", False)
    working = rasa.url

    with caplog.at_level(logging.INFO, logger="apps.chat.consumers"):
        settings.RASA_URL = f"http://127.0.0.1:{closed_port}"
        for text in ("하나", "둘", "셋"):
            await say_once(text)
        settings.RASA_URL = working
        await say_once("안녕하세요")
        settings.RASA_URL = f"http://127.0.0.1:{closed_port}"
        await say_once("넷")
    lines = [
        (record.levelno, record.getMessage())
        for record in caplog.records
        if "did not answer" in record.getMessage() or "answers again" in record.getMessage()
    ]
    assert [level for level, _ in lines] == [logging.WARNING, logging.INFO, logging.INFO, logging.INFO, logging.WARNING]
    assert "answers again" in lines[3][1]
