import pytest

from apps.archive import drawing, services
from apps.archive.licences import LicenceCode
from apps.archive.models import Collection, Item
from apps.places.models import Place
from apps.places.services import place_create


@pytest.fixture(autouse=True)
def _iiif_cache_of_the_tests_own(settings, tmp_path):
    settings.ARCHIVE_IIIF_CACHE_DIR = tmp_path / "iiif-cache"


def make_item(city, identifier: str, *, pages: int = 0, **fields) -> Item:
    """An item of the city's, with `pages` drawn images (1600 x 1200)."""
    values = {
        "item_type": Item.Type.PHOTOGRAPH,
        "title_ko": f"{identifier} 제목",
        "title_en": f"{identifier} title",
        "date_text": "1960년경",
        "licence": LicenceCode.KOGL_1,
        "rights_holder_ko": "의정부문화원",
        "rights_holder_en": "Uijeongbu Cultural Center",
        "is_illustration": True,
        **fields,
    }
    item = services.item_save(Item(municipality=city, identifier=identifier, **values))
    for page in range(1, pages + 1):
        image = drawing.illustration(
            title_ko=item.title_ko, title_en=item.title_en, date_text=item.date_text, scene="street", seed=identifier
        )
        services.item_media_add(item, image=image, filename=f"{identifier}-{page}.jpg", label_ko=f"{page}쪽")
    return item


@pytest.fixture
def station_square(city) -> Place:
    return place_create(
        municipality=city,
        kind=Place.Kind.POINT,
        name_ko="의정부역 앞",
        name_en="Uijeongbu Station",
        latitude=37.7385,
        longitude=127.0459,
    )


@pytest.fixture
def photograph(city, station_square) -> Item:
    return make_item(
        city,
        "T-PHOTO",
        pages=1,
        place=station_square,
        subjects_ko="의정부역, 철도",
        subjects_en="station, railway",
        description_ko="역 앞 광장.",
        description_en="The station square.",
    )


@pytest.fixture
def document(city) -> Item:
    return make_item(city, "T-DOC", pages=3, item_type=Item.Type.DOCUMENT, date_text="1963년")


@pytest.fixture
def everyday(city, photograph, document) -> Collection:
    collection = services.collection_ensure(
        municipality=city, slug="everyday-life", title_ko="일상의 풍경", title_en="Everyday life"
    )
    services.item_collections_add(photograph, [collection])
    services.item_collections_add(document, [collection])
    return collection
