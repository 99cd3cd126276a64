"""A marker page shows "이곳의 옛 모습": the archive's public items within 200 m of the marker,
through apps/places/history.py (trails never import the archive)."""

from apps.archive import services as archive_services
from apps.archive.licences import LicenceCode
from apps.archive.models import Item
from apps.places.models import Place
from apps.places.services import place_create


def _item_at(city, identifier: str, latitude: float, longitude: float, **fields) -> Item:
    place = place_create(
        municipality=city, kind=Place.Kind.POINT, name_ko=identifier, latitude=latitude, longitude=longitude
    )
    values = {"title_ko": f"{identifier} 옛 사진", "title_en": f"{identifier} old photograph", "date_text": "1960년대"}
    return archive_services.item_save(
        Item(
            municipality=city,
            identifier=identifier,
            item_type=Item.Type.PHOTOGRAPH,
            licence=LicenceCode.KOGL_1,
            rights_holder_ko="의정부문화원",
            place=place,
            **{**values, **fields},
        )
    )


def test_a_marker_shows_the_archive_items_near_it_and_only_those(client, trail, city):
    rest = trail.markers.select_related("place").get(number=2)  # 37.709, 127.00034
    near = _item_at(city, "NEAR", 37.7095, 127.0003)  # about 56 m away
    _item_at(city, "FAR", 37.7125, 127.0003)  # about 390 m away
    _item_at(city, "HIDDEN", 37.709, 127.0004, is_public=False)

    page = client.get(f"/en/trails/myeongsang-gil/markers/{rest.place.code}/").content.decode()
    assert "What this place looked like" in page
    assert "NEAR old photograph" in page and f'href="/en/archive/items/{near.pk}/"' in page
    assert "FAR old photograph" not in page and "HIDDEN" not in page

    start = trail.markers.select_related("place").get(number=1)  # 1 km south: nothing of the past near
    assert (
        "What this place looked like"
        not in client.get(f"/en/trails/myeongsang-gil/markers/{start.place.code}/").content.decode()
    )
