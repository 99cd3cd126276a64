"""Redis down: a chat message is stored and answered (the limiters fail open)."""

import pytest

from apps.chat.models import Message
from tests.chat.conftest import say_once


@pytest.mark.django_db(transaction=True)
async def test_a_chat_message_is_stored_and_answered_while_redis_is_down(city, rasa, redis_down):
    answers = await say_once("가로등이 꺼졌어요")
    assert answers[-1]["type"] == "bot"
    assert await Message.objects.filter(sender="resident", text="가로등이 꺼졌어요").aexists()
