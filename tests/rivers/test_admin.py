"""The staff side: the walkway board closes, reopens and sets gates through the services (logged
with who and why), only for staff allowed to operate walkways; a device's token is shown once."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client

from apps.common.tokens import token_hash
from apps.rivers.models import GateChange, RiverDevice, WalkwayClosure

BOARD = "/admin/rivers/walkways/"


@pytest.mark.django_db(databases=["default", "channels"])
def test_staff_close_and_reopen_a_walkway_and_set_a_gate_with_their_reason(
    admin_client, admin_user, river, django_capture_on_commit_callbacks
):
    assert admin_client.get(BOARD).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(BOARD, {"action": "close", "river": river.pk, "reason": "축제 준비로 통제"})
    walkway = WalkwayClosure.objects.get(river=river)
    assert (walkway.cause, walkway.closed_by, walkway.reason_ko) == ("staff", admin_user, "축제 준비로 통제")
    # A reopening without saying how it was checked is refused, and changes nothing.
    admin_client.post(BOARD, {"action": "reopen", "river": river.pk, "note": ""})
    assert WalkwayClosure.objects.get(pk=walkway.pk).reopened_at is None
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(BOARD, {"action": "reopen", "river": river.pk, "note": "현장 확인"})
    walkway.refresh_from_db()
    assert (walkway.reopened_by, walkway.reopen_note) == (admin_user, "현장 확인")

    entrance = river.entrances.first()
    admin_client.post(BOARD, {"action": "gate", "entrance": entrance.pk, "state": "closed", "reason": "보수 공사"})
    change = GateChange.objects.get(entrance=entrance)
    assert (change.closed, change.source, change.user, change.reason) == (True, "staff", admin_user, "보수 공사")


def test_staff_without_the_permission_cannot_operate_walkways(river):
    user = get_user_model().objects.create_user(username="editor", password="x", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client = Client()
    client.force_login(user)
    assert client.post(BOARD, {"action": "close", "river": river.pk, "reason": "x"}).status_code in (302, 403)
    assert not WalkwayClosure.objects.exists()


def test_a_devices_token_is_shown_once_and_only_its_hash_is_kept(admin_client, singok):
    answer = admin_client.post("/admin/river_devices/new/", {"name": "신곡교 수위계", "station": singok.pk})
    token = re.search(r"<code>([^<]+)</code>", answer.content.decode()).group(1)
    device = RiverDevice.objects.get()
    assert (device.kind, device.station, device.token_hash) == ("level-sensor", singok, token_hash(token))
    both = admin_client.post("/admin/river_devices/new/", {"name": "x", "station": singok.pk, "entrance": 1})
    assert both.status_code == 200 and RiverDevice.objects.count() == 1
