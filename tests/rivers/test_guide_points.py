"""River guide points: Wagtail pages with a permanent QR place, species cards and a 3D model that
loads only when asked; while the river's walkway is closed the page shows the safety notice instead."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management import call_command
from wagtail.documents.models import Document

from apps.places.models import Place
from apps.rivers import services
from apps.rivers.models import River, WalkwayClosure
from apps.rivers.pages import RiverPointPage

# The seed pushes its illustrative fine dust to open pages through the channel layer.
pytestmark = pytest.mark.django_db(databases=["default", "channels"])


@pytest.fixture
def guide(demo_site):
    call_command("load_demo_rivers", verbosity=0)
    return RiverPointPage.objects.get(slug="jungnangcheon-heron", locale__language_code="ko")


def test_a_point_page_has_its_species_its_qr_place_and_loads_no_model_bytes(client, guide):
    call_command("load_demo_rivers", verbosity=0)  # again: nothing doubled
    assert RiverPointPage.objects.filter(locale__language_code="ko").count() == 2
    assert guide.place.kind == Place.Kind.POINT and guide.place.owner == guide
    scan = client.get(f"/t/{guide.place.code}", HTTP_ACCEPT_LANGUAGE="ko")
    assert scan.url.startswith(guide.url)

    page = client.get(guide.url).content.decode()
    assert "왜가리" in page and '<i lang="la">Ardea cinerea</i>' in page
    assert 'data-src="' in page and ".glb" in page
    ios = page.split('data-ios-src="', 1)[1].split('"', 1)[0]
    usdz = client.get(ios)  # Quick Look takes it only inline and with its own type
    assert usdz["Content-Type"] == "model/vnd.usdz+zip" and usdz["Content-Disposition"].startswith("inline")
    assert "<model-viewer" not in page and 'model-viewer.min.js"></script>' not in page  # loaded on tap only
    assert "data-point-closed hidden" in page
    river_page = client.get("/ko/river-guide/jungnangcheon/").content.decode()
    assert f'href="{guide.url}"' in river_page and "신곡교 스마트폴" in river_page
    english = client.get("/en/river-guide/jungnangcheon-heron/").content.decode()
    assert "Jungnangcheon heron spot" in english and "Grey heron" in english
    assert f"/t/{guide.place.code}" in english  # the translation shares the Korean page's QR code
    [heron] = [p for p in client.get("/api/v1/rivers/jungnangcheon/").json()["points"] if p["code"] == guide.place.code]
    assert heron["species"] == ["Grey heron"] and heron["model_url"].endswith(".glb") and heron["illustrative"]
    assert heron["model_ios_url"].endswith(".usdz")
    assert client.get("/api/v1/rivers/jungnangcheon/").json()["url"] == "/en/river-guide/jungnangcheon/"


def test_a_closed_walkway_replaces_the_3d_view_with_the_safety_notice(client, guide, admin_user):
    river = River.objects.get(slug="jungnangcheon")
    river_page = client.get("/ko/river-guide/jungnangcheon/").content.decode()
    assert "data-near-spot-tools>" in river_page and 'data-species="왜가리"' in river_page
    services.walkway_close(
        river, cause=WalkwayClosure.Cause.STAFF, user=admin_user, reason_ko="집중호우로 출입을 막았습니다."
    )
    page = client.get(guide.url).content.decode()
    assert "집중호우로 출입을 막았습니다." in page
    assert "data-point-closed hidden" not in page and "data-point-open hidden" in page
    assert "data-near-spot-tools hidden" in client.get("/ko/river-guide/jungnangcheon/").content.decode()


def test_a_point_shows_the_archive_items_near_it(client, guide, city):
    from apps.archive import services as archive_services
    from apps.archive.licences import LicenceCode
    from apps.archive.models import Item
    from apps.places.services import place_create

    spot = place_create(
        municipality=city, kind=Place.Kind.POINT, name_ko="신곡교", latitude=37.7355, longitude=127.0452
    )
    archive_services.item_save(
        Item(
            municipality=city,
            identifier="T-BRIDGE",
            item_type=Item.Type.PHOTOGRAPH,
            title_ko="1970년대 신곡교",
            date_text="1970년대",
            licence=LicenceCode.KOGL_1,
            rights_holder_ko="의정부문화원",
            place=spot,
        )
    )
    page = client.get(guide.url).content.decode()
    assert "이곳의 옛 모습" in page and "1970년대 신곡교" in page


def test_courses_by_time_of_day_and_a_night_course_only_by_lit_points(client, guide):
    from django.core.exceptions import ValidationError

    from apps.rivers.pages import RiverCoursePage

    night = RiverCoursePage.objects.get(slug="jungnangcheon-night-walk", locale__language_code="ko")
    page = client.get(night.url).content.decode()
    assert "신곡교 스마트폴" in page and "중랑천 왜가리 쉼터" not in page
    night.points = [("point", guide)]  # the heron spot has no light
    with pytest.raises(ValidationError, match="중랑천 왜가리 쉼터"):
        night.full_clean()


def test_the_print_sheet_has_every_guide_point_of_the_river_for_editors_only(admin_client, client, guide):
    url = f"/admin/rivers/points/{guide.pk}/print-sheet.svg"
    sheet = admin_client.get(url)
    assert sheet.status_code == 200 and sheet["Content-Type"].startswith("image/svg+xml")
    svg = sheet.content.decode()
    smart_pole = RiverPointPage.objects.get(slug="jungnangcheon-smart-pole-singokgyo", locale__language_code="ko")
    assert guide.place.code in svg and smart_pole.place.code in svg
    assert "중랑천 왜가리 쉼터" in svg and "Jungnangcheon heron spot" in svg
    assert client.get(url).status_code in (302, 403)


def test_an_audio_guide_plays_with_its_transcript_and_needs_one(client, guide):
    from django.core.exceptions import ValidationError
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    guide.audio = Document.objects.create(title="guide", file=ContentFile(b"ID3" + b"\0" * 64, name="heron.mp3"))
    with pytest.raises(ValidationError, match="transcript"):
        guide.clean()
    guide.transcript = "왜가리 쉼터 안내입니다."
    guide.save_revision().publish()
    page = client.get(guide.url).content.decode()
    assert 'preload="none"' in page and "왜가리 쉼터 안내입니다." in page


def test_a_point_moved_or_renamed_by_an_editor_keeps_its_code_and_moves_its_place(guide):
    code = guide.place.code
    guide.title, guide.latitude = "중랑천 왜가리 여울", 37.7360
    guide.save_revision().publish()
    place = Place.objects.get(code=code)
    assert (place.name_ko, place.latitude) == ("중랑천 왜가리 여울", 37.7360)


MODELS = Path(__file__).resolve().parents[2] / "data" / "rivers" / "models"


def _document(name: str, content: bytes) -> Document:
    return Document.objects.create(title=name, file=ContentFile(content, name=name))


def _compressed_usdz() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as package:
        package.writestr("heron.usdc", (MODELS / "heron.usdz").read_bytes())
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("field", "name", "content", "message"),
    [
        ("model_glb", "heron.glb", (MODELS / "heron.glb").read_bytes()[:-100], "not a complete glTF 2.0 binary"),
        ("model_glb", "heron.usdz", (MODELS / "heron.usdz").read_bytes(), "must be a GLB file"),
        ("model_usdz", "heron.usdz", (MODELS / "heron.glb").read_bytes(), "its first file must be a USD layer"),
        ("model_usdz", "heron.usdz", _compressed_usdz(), "stores its files uncompressed"),
    ],
)
def test_an_editor_cannot_save_a_point_with_a_broken_or_mislabelled_model(guide, field, name, content, message):
    setattr(guide, field, _document(name, content))
    with pytest.raises(ValidationError) as refused:
        guide.full_clean()
    assert message in " ".join(refused.value.message_dict[field])


def test_the_shipped_models_pass_the_editors_checks_and_an_iphone_model_needs_its_glb(guide):
    guide.full_clean()  # the heron's GLB and USDZ as seeded
    guide.model_glb = None
    with pytest.raises(ValidationError) as refused:
        guide.full_clean()
    assert "model_usdz" in refused.value.message_dict


def test_a_river_page_is_written_in_wagtail_above_its_live_state(client, guide, admin_user):
    from apps.rivers.pages import RiverPage

    korean = RiverPage.objects.get(slug="jungnangcheon", locale__language_code="ko")
    old_address = client.get("/ko/rivers/jungnangcheon/?near=37.734,127.046")
    assert old_address.status_code == 302 and old_address["Location"] == f"{korean.url}?near=37.734,127.046"
    page = client.get(korean.url).content.decode()
    assert "한강의 제1지류" in page and "data-river-live" in page and "신곡교" in page  # the text, then the state
    assert 'class="breadcrumb"' in page and "notice--warning" in page  # labelled illustrative
    english = client.get("/en/river-guide/jungnangcheon/").content.decode()
    assert "Jungnangcheon Stream" in english and "first tributary of the Han River" in english
    assert River.objects.get(slug="jungnangcheon").get_url("en") == "/en/river-guide/jungnangcheon/"

    korean.body = "<p>장마철에는 산책로 출입을 자주 막습니다.</p>"
    korean.save_revision().publish()
    assert "장마철에는 산책로 출입을 자주 막습니다." in client.get(korean.url).content.decode()  # not the kept copy

    second = RiverPage(title="중랑천 2", slug="jungnangcheon-2", river=korean.river, summary="…", locale=korean.locale)
    with pytest.raises(ValidationError) as refused:
        second.full_clean()
    assert "river" in refused.value.message_dict
