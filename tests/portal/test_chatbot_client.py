"""`manage.py prepare` keeps the chatbot's API client in step with CHATBOT_API_KEY, with no input."""

import io
import json

import pytest

from apps.complaints.models import ApiClient
from apps.complaints.services import api_client_for_key
from portal.management.commands.prepare import Command

PURPOSE_KO = "이름과 연락처는 민원 처리 결과를 안내하는 데에만 수집·이용하며, 민원이 종결된 후 3년간 보관합니다."


def prepare_client() -> str:
    """Runs the chatbot step of prepare; what it printed."""
    command = Command(stdout=io.StringIO())
    command._chatbot_client()
    return command.stdout.getvalue()


@pytest.fixture
def bot_key(settings):
    settings.CHATBOT_API_KEY = "first-key"
    settings.CHATBOT_API_CLIENT_NAME = "민원 챗봇"
    return settings


def test_the_client_is_made_with_the_key_and_the_consent_purpose(city, bot_key):
    assert "created" in prepare_client()
    client = api_client_for_key("first-key")
    assert client.name == "민원 챗봇" and client.municipality == city
    assert client.consent_purpose == PURPOSE_KO
    assert "unchanged" in prepare_client()
    assert ApiClient.objects.count() == 1


def test_a_new_key_replaces_the_old_one_and_an_inactive_client_comes_back(city, bot_key):
    prepare_client()
    ApiClient.objects.update(is_active=False, consent_purpose="관리자가 고친 안내 목적")
    bot_key.CHATBOT_API_KEY = "second-key"
    assert "updated" in prepare_client()
    assert api_client_for_key("first-key") is None
    client = api_client_for_key("second-key")
    assert client.is_active and client.consent_purpose == "관리자가 고친 안내 목적"  # an admin's edit is kept


def test_no_key_no_client(city, settings):
    settings.CHATBOT_API_KEY = ""
    assert "skipping" in prepare_client()
    assert not ApiClient.objects.exists()


def test_the_bot_files_cases_with_the_key_prepare_registered(client, city, bot_key):
    prepare_client()
    body = {"category": "other", "description": "상담원 연결 요청", "channel": "chat"}
    response = client.post(
        "/api/v1/complaints/", json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION="Token first-key"
    )
    assert response.status_code == 201, response.content
