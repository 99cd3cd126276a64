"""The items' own files (scans, recordings, films, PDFs) are kept out of MEDIA_ROOT and handed out
at /files/ while their item is public: a withdrawn item's recording is gone for whoever kept its
address, its editors still have it. Players seek by byte ranges; nginx may send the bytes."""

import importlib

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.test import Client

from apps.archive import services
from apps.archive.models import Item
from tests.archive.conftest import make_item

RECORDING = settings.BASE_DIR / "data" / "demo" / "archive" / "UA-O-001.wav"


@pytest.fixture
def oral_history(city) -> Item:
    item = make_item(city, "T-ORAL", pages=1, item_type=Item.Type.ORAL_HISTORY)
    with RECORDING.open("rb") as recording:
        return services.item_recording_set(item, ContentFile(recording.read(), name="interview.wav"))


def _body(response) -> bytes:
    return b"".join(response)  # an async stream read whole, as the test client has no server


def test_a_public_items_files_are_handed_out_and_a_player_can_seek(client, oral_history):
    recording = RECORDING.read_bytes()
    url = oral_history.audio.url
    assert (
        url.startswith("/files/archive/audio/")
        and url in client.get(f"/ko/archive/items/{oral_history.pk}/").content.decode()
    )
    assert not (settings.MEDIA_ROOT / oral_history.audio.name).exists()

    whole = client.get(url)
    assert whole.status_code == 200 and whole["Content-Type"] == "audio/wav"
    assert whole.is_async  # streamed by the ASGI server as it is read, never held whole in memory
    assert _body(whole) == recording and whole["Content-Length"] == str(len(recording))
    assert whole["Accept-Ranges"] == "bytes" and whole["Cache-Control"] == "public, max-age=600"

    part = client.get(url, headers={"Range": "bytes=100-199"})
    assert part.status_code == 206 and _body(part) == recording[100:200]
    assert part["Content-Range"] == f"bytes 100-199/{len(recording)}"
    tail = client.get(url, headers={"Range": "bytes=-16"})
    assert tail.status_code == 206 and _body(tail) == recording[-16:]
    open_ended = client.get(url, headers={"Range": f"bytes={len(recording) - 5}-"})
    assert _body(open_ended) == recording[-5:]
    beyond = client.get(url, headers={"Range": f"bytes={len(recording)}-"})
    assert beyond.status_code == 416 and beyond["Content-Range"] == f"bytes */{len(recording)}"
    for ignored in ("bytes=0-1,5-6", "bytes=x-y", "items=0-5", "bytes=-"):  # the whole file, as HTTP allows
        assert _body(client.get(url, headers={"Range": ignored})) == recording
    stale = client.get(url, headers={"Range": "bytes=0-9", "If-Range": '"another-version"'})
    assert stale.status_code == 200 and _body(stale) == recording

    assert client.get(url, headers={"If-None-Match": whole["ETag"]}).status_code == 304
    head = client.head(url)
    assert head.status_code == 200 and head["Content-Length"] == str(len(recording)) and not head.content

    scan = oral_history.media.get()
    image = client.get(scan.file.url)
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg" and _body(image)[:2] == b"\xff\xd8"
    assert client.post(url).status_code == 405


def test_a_withdrawn_items_files_are_gone_for_the_public_and_kept_for_its_editors(
    client, oral_history, django_user_model
):
    urls = [oral_history.audio.url, oral_history.media.get().file.url]
    oral_history.is_public = False
    services.item_save(oral_history)
    for url in urls:
        assert client.get(url).status_code == 404
        assert client.get(url.replace("/files/", "/media/")).status_code == 404

    editor = django_user_model.objects.create_user("archivist", password="x", is_staff=True)
    editor.user_permissions.add(
        Permission.objects.get(codename="access_admin"), Permission.objects.get(codename="change_item")
    )
    signed_in = Client()
    signed_in.force_login(editor)
    for url in urls:
        response = signed_in.get(url)
        assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
        assert "Access-Control-Allow-Origin" not in response

    bystander = django_user_model.objects.create_user("resident", password="x")
    signed_in.force_login(bystander)
    assert signed_in.get(urls[0]).status_code == 404


def test_no_other_file_is_reached_through_the_archives_address(client, oral_history, settings):
    (settings.PRIVATE_MEDIA_ROOT / "archive-contributions").mkdir(parents=True)
    (settings.PRIVATE_MEDIA_ROOT / "archive-contributions" / "sent.jpg").write_bytes(b"\xff\xd8 a resident's photo")
    name = oral_history.audio.name
    for path in (
        "archive-contributions/sent.jpg",
        f"archive/../{name}",
        f"archive/audio/../../{name}",
        "archive/%2e%2e/%2e%2e/etc/passwd",
        f"{name}.bak",
        "archive/" + "a" * 5000,
    ):
        assert client.get(f"/files/{path}").status_code == 404, path
    assert client.get("/files/archive/\x00.wav").status_code == 400


def test_behind_nginx_the_portal_checks_and_nginx_sends(client, oral_history, settings):
    settings.NGINX_PRIVATE_FILES_LOCATION = "/private-files/"
    response = client.get(oral_history.audio.url, headers={"Range": "bytes=0-9"})
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/private-files/{oral_history.audio.name}"
    oral_history.is_public = False
    services.item_save(oral_history)
    assert client.get(oral_history.audio.url).status_code == 404


def test_the_migration_moves_files_kept_under_media_root_out_of_it(oral_history, settings):
    moved = oral_history.audio.name
    target = settings.PRIVATE_MEDIA_ROOT / moved
    source = settings.MEDIA_ROOT / moved
    source.parent.mkdir(parents=True)
    target.rename(source)  # where every archive file was kept before
    migration = importlib.import_module("apps.archive.migrations.0007_archive_files_private")

    migration.files_out_of_media(apps, None)
    assert target.read_bytes() == RECORDING.read_bytes() and not source.exists()
    migration.files_out_of_media(apps, None)  # run again: nothing to do, nothing lost
    assert target.exists()
