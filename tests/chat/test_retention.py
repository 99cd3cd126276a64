"""The transcript is personal data: deleted once the retention period has passed."""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from apps.chat import services
from apps.chat.bot import BotReply
from apps.chat.models import Conversation, Message
from apps.chat.tasks import delete_expired_chats
from portal.celery import app


def conversation_last_active(city, days_ago: int, *, said_days_ago: tuple[int, ...]) -> Conversation:
    now = timezone.now()
    conversation = services.conversation_start(municipality=city, language="ko")
    for days in said_days_ago:
        message = services.message_record_from_resident(conversation=conversation, text=f"{days}일 전")
        Message.objects.filter(pk=message.pk).update(created_at=now - timedelta(days=days))
    Conversation.objects.filter(pk=conversation.pk).update(last_activity_at=now - timedelta(days=days_ago))
    return conversation


def test_the_retention_is_thirty_days_unless_configured():
    assert django_settings.CHAT_RETENTION_DAYS == 30


def test_the_task_deletes_only_what_is_older_than_the_retention_period(city, settings):
    settings.CHAT_RETENTION_DAYS = 30
    idle = conversation_last_active(city, 31, said_days_ago=(40, 31))
    recent = conversation_last_active(city, 29, said_days_ago=(29,))
    # Still going on: its old lines go, its recent ones stay.
    ongoing = conversation_last_active(city, 0, said_days_ago=(45, 1, 0))

    assert delete_expired_chats() == 1

    assert not Conversation.objects.filter(pk=idle.pk).exists()
    assert not Message.objects.filter(conversation_id=idle.pk).exists()
    assert list(recent.messages.values_list("text", flat=True)) == ["29일 전"]
    assert list(ongoing.messages.values_list("text", flat=True)) == ["1일 전", "0일 전"]


def test_rasa_forgets_what_was_said_when_the_transcript_does(city, settings, tracker_events):
    """Rasa's tracker store holds the same words: its events older than the period go too."""
    settings.CHAT_RETENTION_DAYS = 30
    day = 24 * 60 * 60
    tracker_events.add("old", {"event": "user", "text": "집 앞 010-1234-5678"}, seconds_ago=31 * day)
    tracker_events.slot("ongoing", "contact_details", {"phone": "010-1234-5678"}, seconds_ago=30 * day + 60)
    tracker_events.add("ongoing", {"event": "user", "text": "어제 말한 그 가로등"}, seconds_ago=day)
    tracker_events.add("recent", {"event": "user", "text": "안녕하세요"}, seconds_ago=29 * day)

    delete_expired_chats()

    assert tracker_events.senders() == ["ongoing", "recent"]


def test_the_retention_runs_before_rasa_has_stored_anything(city, settings, tmp_path):
    settings.VAR_DIR = tmp_path  # no tracker store yet (Rasa never started): nothing to delete there
    conversation_last_active(city, 31, said_days_ago=(31,))
    assert delete_expired_chats() == 1


def test_a_shorter_retention_set_by_the_city_is_followed(city, settings):
    settings.CHAT_RETENTION_DAYS = 7
    conversation_last_active(city, 8, said_days_ago=(8,))
    kept = conversation_last_active(city, 6, said_days_ago=(6,))
    assert delete_expired_chats() == 1
    assert list(Conversation.objects.all()) == [kept]


def test_bot_replies_are_stored_together(city):
    conversation = services.conversation_start(municipality=city, language="en")
    replies = [
        BotReply(text="Which one?", buttons=[{"title": "Parking", "payload": "/parking"}]),
        BotReply(image="/a.png"),
    ]
    stored = services.message_record_from_bot(conversation=conversation, replies=replies)
    assert [(message.sender, message.text, message.payload) for message in stored] == [
        ("bot", "Which one?", {"buttons": [{"title": "Parking", "payload": "/parking"}]}),
        ("bot", "", {"image": "/a.png"}),
    ]


@pytest.mark.parametrize("name", ["apps.chat.tasks.delete_expired_chats"])
def test_beat_runs_the_deletion_every_day(name):
    app.loader.import_default_modules()
    assert name in app.tasks
    schedule = [entry for entry in django_settings.CELERY_BEAT_SCHEDULE.values() if entry["task"] == name]
    assert len(schedule) == 1
    assert schedule[0]["schedule"].remaining_estimate(timezone.now()) <= timedelta(days=1)
