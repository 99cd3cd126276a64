"""One conversation, one language: the page's when it starts, changed only when the resident asks
the bot for the other one (the bot's reply then tells the portal)."""

import pytest

from apps.chat.bot import BotReply
from apps.chat.ids import conversation_id_unsign
from apps.chat.models import Conversation, Message
from tests.chat.conftest import GREETING_KO, LANGUAGE_SET_EN, ChatClient

pytestmark = pytest.mark.django_db(transaction=True)


async def language_of(welcome: dict) -> str:
    return (await Conversation.objects.aget(uuid=conversation_id_unsign(welcome["conversation"]))).language


async def test_an_english_message_in_a_korean_conversation_changes_nothing(city, rasa):
    client = ChatClient()
    try:
        welcome = await client.hello(language="ko")
        answers = await client.say("There is a broken streetlight")
    finally:
        await client.disconnect()
    assert rasa.received[-1]["json"]["metadata"] == {"language": "ko"}
    assert answers[-1]["messages"][0]["text"] == GREETING_KO
    assert await language_of(welcome) == "ko"


async def test_asking_the_bot_for_english_switches_the_conversation(city, rasa, closed_port, settings):
    client = ChatClient()
    try:
        welcome = await client.hello(language="ko")
        answers = await client.say("English please")
        # The bot hears the new language with the next message, and the portal speaks it too.
        await client.say("hello")
        settings.RASA_URL = f"http://127.0.0.1:{closed_port}"
        down = await client.say("hello again")
    finally:
        await client.disconnect()
    # The widget shows the bot's words; the language notice is for the portal only.
    assert answers[-1]["messages"] == [{"text": LANGUAGE_SET_EN, "buttons": [], "image": None, "custom": None}]
    assert await language_of(welcome) == "en"
    assert rasa.received[-1]["json"]["metadata"] == {"language": "en"}
    assert down[-1]["code"] == "bot_down" and down[-1]["message"].startswith("The assistant cannot answer")
    assert not await Message.objects.filter(text="", sender=Message.Sender.BOT).aexists()


async def test_a_conversation_picked_up_on_a_page_in_the_other_language_keeps_its_own(city, rasa):
    first = ChatClient()
    try:
        welcome = await first.hello(language="ko")
        await first.say("안녕하세요")
    finally:
        await first.disconnect()
    again = ChatClient()
    try:
        await again.hello(conversation=welcome["conversation"], language="en")
        await again.say("hello")
    finally:
        await again.disconnect()
    assert rasa.received[-1]["json"]["metadata"] == {"language": "ko"}
    assert await language_of(welcome) == "ko"


def test_a_reply_carries_a_language_only_as_a_supported_one():
    assert BotReply(custom={"language": "en"}).language == "en"
    assert not BotReply(custom={"language": "en"}).shows_anything
    assert BotReply(text="OK", custom={"language": "ko"}).shows_anything
    for custom in ({"language": "ja"}, {"language": 1}, ["en"], None):
        assert BotReply(text="x", custom=custom).language is None
    assert BotReply(custom={"language": "ja"}).shows_anything  # some other custom payload: the widget's
