"""What an API client may do is a property of the client, given by `manage.py prepare` to the
chatbot's; names are unique per city, and the migration that made them so renamed, never deleted."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from apps.complaints import services
from apps.complaints.models import ApiClient
from apps.municipalities.models import Municipality
from portal.management.commands.prepare import Command

BEFORE = ("complaints", "0006_agency_transfer_finished")


@pytest.fixture
def bot_key(settings):
    settings.CHATBOT_API_KEY = "bot-key"
    settings.CHATBOT_API_CLIENT_NAME = "민원 챗봇"


def test_prepare_gives_the_phone_lookup_to_the_chatbots_client_only(city, bot_key):
    partner, _ = services.api_client_create(municipality=city, name="시민 앱")
    Command(stdout=io.StringIO())._chatbot_client()
    bot = ApiClient.objects.get(name="민원 챗봇")
    assert bot.can_look_up_by_phone and not ApiClient.objects.get(pk=partner.pk).can_look_up_by_phone


def test_prepare_gives_it_back_to_a_bot_client_that_lost_it(city, bot_key):
    Command(stdout=io.StringIO())._chatbot_client()
    ApiClient.objects.update(can_look_up_by_phone=False)
    output = io.StringIO()
    Command(stdout=output)._chatbot_client()
    assert "updated" in output.getvalue() and ApiClient.objects.get().can_look_up_by_phone


def test_a_new_client_has_no_capability_and_needs_a_name_of_its_own(city):
    client, _ = services.api_client_create(municipality=city, name="시민 앱")
    assert not client.can_look_up_by_phone
    with pytest.raises(ValidationError) as refused:
        services.api_client_create(municipality=city, name="시민 앱")
    assert refused.value.code == "name_taken"
    with pytest.raises(CommandError, match="이미 있습니다"):
        call_command("create_api_client", "시민 앱", stdout=io.StringIO())
    assert ApiClient.objects.count() == 1


def migrate_to_the_latest() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.fixture
def apps_before_0007(transactional_db):
    """The schema just before names became unique; the latest again afterwards, for later tests."""
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    yield executor.loader.project_state([BEFORE]).apps
    migrate_to_the_latest()


def test_the_migration_renames_duplicate_names_and_keeps_every_client(apps_before_0007):
    OldClient = apps_before_0007.get_model("complaints", "ApiClient")
    # Only the complaints app went back: cities are made with today's model.
    city = Municipality.objects.create(code="testcity", name_ko="시험시", name_en="Test City")
    other = Municipality.objects.create(code="othercity", name_ko="다른시", name_en="Other City")
    for number, (municipality, name) in enumerate(
        [(city, "민원 챗봇"), (city, "민원 챗봇"), (city, "민원 챗봇 (2)"), (city, "민원 챗봇"), (other, "민원 챗봇")]
    ):
        OldClient.objects.create(municipality_id=municipality.pk, name=name, key_hash=f"{number:064d}")

    migrate_to_the_latest()
    names = list(ApiClient.objects.order_by("pk").values_list("municipality__code", "name", "can_look_up_by_phone"))
    assert names == [
        ("testcity", "민원 챗봇", False),  # the oldest keeps its name; no one gets the lookup by name
        ("testcity", "민원 챗봇 (3)", False),
        ("testcity", "민원 챗봇 (2)", False),
        ("testcity", "민원 챗봇 (4)", False),
        ("othercity", "민원 챗봇", False),  # unique per city only
    ]
