"""An archivist gives an item its files in the admin: scans (camera data removed), a PDF whose pages
become the item's images by a worker, a film and a recording; each upload is checked first (refused
in the archivist's language, here Korean), and a refused one changes nothing. The manifest follows:
the PDF as its rendering, the film as a Video canvas, as iiif-prezi3's models read them."""

from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from iiif_prezi3 import Manifest
from PIL import Image

from apps.archive import files
from apps.archive.models import Item, PagesStatus
from apps.archive.tasks import make_pdf_pages
from tests.archive.conftest import make_item

FILM = settings.BASE_DIR / "data" / "demo" / "archive" / "UA-M-005.mp4"
RECORDING = settings.BASE_DIR / "data" / "demo" / "archive" / "UA-O-001.wav"


def _pdf(pages: int) -> bytes:
    sheets = [Image.new("RGB", (600, 848), (255, 255 - 40 * number, 255)) for number in range(pages)]
    out = BytesIO()
    sheets[0].save(out, "PDF", save_all=True, append_images=sheets[1:], resolution=72)
    return out.getvalue()


def _upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def _send(admin_client, item: Item, **upload):
    return admin_client.post(f"/admin/archive/items/{item.pk}/files/", upload)


@pytest.fixture
def booklet(city) -> Item:
    return make_item(city, "T-DOC", pages=1, item_type=Item.Type.DOCUMENT)


def test_a_pdf_becomes_the_items_pages_and_its_manifests_rendering(admin_client, booklet, client):
    page = admin_client.get(f"/admin/snippets/archive/item/edit/{booklet.pk}/").content.decode()
    assert f"/admin/archive/items/{booklet.pk}/files/" in page  # reached from the item
    sent = _send(admin_client, booklet, pdf=_upload("booklet.pdf", _pdf(3), "application/pdf"))
    assert sent.status_code == 302
    booklet.refresh_from_db()
    assert booklet.pages_status == PagesStatus.PREPARING and booklet.media.count() == 1  # until the worker runs
    assert "being prepared" in client.get(f"/en/archive/items/{booklet.pk}/").content.decode()

    assert make_pdf_pages(booklet.pk) == PagesStatus.READY
    assert make_pdf_pages(booklet.pk) == PagesStatus.READY  # run again (a worker that died): nothing doubled
    booklet.refresh_from_db()
    pages = list(booklet.media.order_by("position"))
    assert [(page.position, page.label_ko, page.height) for page in pages] == [(n, f"{n}쪽", 2400) for n in (1, 2, 3)]
    manifest = client.get(f"/iiif/manifest/{booklet.pk}.json").json()
    Manifest(**manifest)
    assert len(manifest["items"]) == 3 and manifest["behavior"] == ["paged"]
    [pdf] = manifest["rendering"]
    assert pdf["format"] == "application/pdf" and pdf["id"].endswith(booklet.pdf.url)
    assert (
        f'href="{booklet.pdf.url}" type="application/pdf"'
        in client.get(f"/en/archive/items/{booklet.pk}/").content.decode()
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("scan.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 100, "PDF 문서가 아닙니다"),
        ("broken.pdf", b"%PDF-1.7\n" + b"garbage " * 200, "손상되어 쪽을 읽을 수 없습니다"),
        ("long.pdf", _pdf(4), "4쪽입니다. 3쪽 이하의"),
    ],
)
def test_a_pdf_that_cannot_be_used_is_refused_and_changes_nothing(
    admin_client, booklet, monkeypatch, name, content, message
):
    monkeypatch.setattr(files, "PDF_MAX_PAGES", 3)
    before = [page.uuid for page in booklet.media.all()]
    refused = _send(admin_client, booklet, pdf=_upload(name, content))
    assert refused.status_code == 400 and message in refused.content.decode()
    booklet.refresh_from_db()
    assert not booklet.pdf and booklet.pages_status == "" and [page.uuid for page in booklet.media.all()] == before


def test_pages_that_cannot_be_made_leave_the_images_and_say_why(admin_client, booklet):
    _send(admin_client, booklet, pdf=_upload("booklet.pdf", _pdf(2), "application/pdf"))
    booklet.refresh_from_db()
    Path(booklet.pdf.path).write_bytes(b"%PDF-1.7\nnot any more")  # the stored file went bad
    assert make_pdf_pages(booklet.pk) == PagesStatus.FAILED
    booklet.refresh_from_db()
    assert booklet.pages_status == PagesStatus.FAILED and booklet.media.count() == 1
    files_page = admin_client.get(f"/admin/archive/items/{booklet.pk}/files/").content.decode()
    assert "이미지로 만들지 못했습니다" in files_page  # in the archivist's language


def test_a_film_plays_with_captions_and_is_a_video_canvas(admin_client, city, client):
    film = make_item(
        city, "T-FILM", item_type=Item.Type.VIDEO, transcript_vtt="WEBVTT\n\n00:00:00.000 --> 00:00:04.000\n축제\n"
    )
    refused = _send(admin_client, film, video=_upload("film.webm", b"\x1a\x45\xdf\xa3" + b"0" * 64))
    assert refused.status_code == 400 and "MP4 영상이 아닙니다" in refused.content.decode()
    assert _send(admin_client, film, video=_upload("film.mp4", FILM.read_bytes(), "video/mp4")).status_code == 302
    film.refresh_from_db()
    assert (film.video_seconds, film.video_width, film.video_height) == (8.0, 480, 270)
    assert film.video.name.startswith("archive/video/") and "film" not in film.video.name  # not guessable

    page = client.get(f"/ko/archive/items/{film.pk}/").content.decode()
    assert '<video class="archive-item__video" controls preload="none" playsinline width="480" height="270"' in page
    assert 'type="video/mp4"' in page and f'src="/ko/archive/items/{film.pk}/transcript.vtt"' in page
    manifest = client.get(f"/iiif/manifest/{film.pk}.json").json()
    Manifest(**manifest)
    [canvas] = manifest["items"]
    body = canvas["items"][0]["items"][0]["body"]
    assert canvas["duration"] == 8.0 and (canvas["width"], canvas["height"]) == (480, 270)
    assert body["type"] == "Video" and body["format"] == "video/mp4"
    assert canvas["annotations"][0]["items"][0]["motivation"] == "supplementing"  # the captions


def test_a_recording_must_be_wav_or_m4a(admin_client, city):
    voice = make_item(city, "T-VOICE", item_type=Item.Type.AUDIO)
    refused = _send(admin_client, voice, recording=_upload("voice.mp3", b"ID3" + b"0" * 64))
    assert refused.status_code == 400 and "WAV나 M4A 녹음 파일이 아닙니다" in refused.content.decode()
    assert _send(admin_client, voice, recording=_upload("voice.wav", RECORDING.read_bytes())).status_code == 302
    voice.refresh_from_db()
    assert voice.audio and voice.audio_seconds > 20


def test_scans_lose_their_camera_data_and_can_be_reordered_and_removed(admin_client, city, client):
    item = make_item(city, "T-SCANS")
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"  # Make
    scans = []
    for colour in ("red", "green", "blue"):
        out = BytesIO()
        Image.new("RGB", (300, 200), colour).save(out, "TIFF" if colour == "blue" else "JPEG", exif=exif)
        scans.append(_upload(f"{colour}.{'tif' if colour == 'blue' else 'jpg'}", out.getvalue()))
    assert _send(admin_client, item, images=scans).status_code == 302
    red, green, blue = item.media.order_by("position")
    with Image.open(red.file.path) as stored:
        assert stored.format == "JPEG" and not stored.getexif()

    files_page = f"/admin/archive/items/{item.pk}/files/"
    admin_client.post(files_page, {"image": blue.pk, "image_action": "earlier"})
    assert list(item.media.order_by("position").values_list("pk", flat=True)) == [red.pk, blue.pk, green.pk]
    admin_client.post(files_page, {"image": red.pk, "image_action": "remove"})
    assert list(item.media.order_by("position").values_list("pk", "position")) == [(blue.pk, 1), (green.pk, 2)]
    assert client.get(f"/iiif/image/{red.uuid.hex}/info.json").status_code == 404
    assert admin_client.post(files_page, {"image": "9" * 30, "image_action": "remove"}).status_code == 400
    assert admin_client.post(files_page, {"image": green.pk, "image_action": "explode"}).status_code == 400
    not_an_image = _send(admin_client, item, images=[_upload("notes.jpg", b"not a picture")])
    assert not_an_image.status_code == 400 and item.media.count() == 2


def test_only_those_who_may_edit_items_reach_their_files(client, django_user_model, booklet):
    from django.contrib.auth.models import Permission

    reader = django_user_model.objects.create_user(username="reader", password="pw-123-reader", is_staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="access_admin"))  # the admin, not the archive
    client.login(username="reader", password="pw-123-reader")
    assert client.get(f"/admin/archive/items/{booklet.pk}/files/").status_code == 302  # turned away
    answer = client.post(
        f"/admin/archive/items/{booklet.pk}/files/", {"image": booklet.media.first().pk, "image_action": "remove"}
    )
    assert answer.status_code in (302, 403) and booklet.media.count() == 1
