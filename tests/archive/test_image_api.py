"""IIIF Image API 3.0 at /iiif/image/<id>/: info.json, the regions and sizes of level 1 (and pct:,
!w,h), made once and then served from the disk cache, and a 400 with its reason, never a 500, for
every request this service does not answer."""

import io
import os

from django.conf import settings
from PIL import Image

from apps.archive import services
from apps.archive.image_api import MAX_AREA, MAX_WIDTH, TileCache
from tests.archive.conftest import make_item


def image_url(photograph, tail: str) -> str:
    return f"/iiif/image/{photograph.media.get().uuid.hex}/{tail}"


def test_info_json_describes_the_service(client, photograph):
    response = client.get(image_url(photograph, "info.json"))

    info = response.json()
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Content-Type"] == "application/json"
    assert info["id"] == f"http://testserver{image_url(photograph, '')[:-1]}"
    assert (info["type"], info["protocol"], info["profile"]) == ("ImageService3", "http://iiif.io/api/image", "level1")
    assert (info["width"], info["height"]) == (1600, 1200)
    assert (info["maxWidth"], info["maxArea"]) == (MAX_WIDTH, MAX_AREA)
    assert info["tiles"] == [{"width": 512, "scaleFactors": [1, 2, 4]}]
    ld = client.get(image_url(photograph, "info.json"), HTTP_ACCEPT="application/ld+json")
    assert ld["Content-Type"] == 'application/ld+json;profile="http://iiif.io/api/image/3/context.json"'


def test_the_service_address_sends_viewers_to_info_json(client, photograph):
    response = client.get(image_url(photograph, "")[:-1])

    assert response.status_code == 303
    assert response["Location"] == image_url(photograph, "info.json")


REGIONS_AND_SIZES = [
    ("full/max/0/default.jpg", (1600, 1200), "image/jpeg"),
    ("full/max/0/default.png", (1600, 1200), "image/png"),
    ("square/max/0/default.jpg", (1200, 1200), "image/jpeg"),
    ("0,0,512,512/256,/0/default.jpg", (256, 256), "image/jpeg"),
    # A tile at the edge: the region is cut where the image ends.
    ("1536,1024,512,512/64,/0/default.jpg", (64, 176), "image/jpeg"),
    ("pct:50,50,50,50/max/0/default.jpg", (800, 600), "image/jpeg"),
    ("full/,300/0/default.jpg", (400, 300), "image/jpeg"),
    ("full/400,100/0/default.jpg", (400, 100), "image/jpeg"),
    ("full/!300,300/0/default.jpg", (300, 225), "image/jpeg"),
    ("full/!3000,3000/0/default.jpg", (1600, 1200), "image/jpeg"),
    ("full/pct:25/0/default.jpg", (400, 300), "image/jpeg"),
]
# Every request this service does not answer: unsupported features, sizes over the region or the
# limits, regions outside the image, and malformed numbers.
REFUSED = [
    "full/max/90/default.jpg",
    "full/max/!0/default.jpg",
    "full/max/0/gray.jpg",
    "full/max/0/default.webp",
    "full/max/0/default.tif",
    "full/^max/0/default.jpg",
    "full/1601,/0/default.jpg",
    "full/,1201/0/default.jpg",
    "full/pct:101/0/default.jpg",
    "full/pct:0/0/default.jpg",
    "full/0,/0/default.jpg",
    "full/,/0/default.jpg",
    "full/99999999999999999999,/0/default.jpg",
    "full/-5,/0/default.jpg",
    "full/abc/0/default.jpg",
    "full/1e3,/0/default.jpg",
    "1600,0,10,10/max/0/default.jpg",
    "0,1200,10,10/max/0/default.jpg",
    "0,0,0,10/max/0/default.jpg",
    "-1,0,10,10/max/0/default.jpg",
    "0,0,10/max/0/default.jpg",
    "pct:nan,0,10,10/max/0/default.jpg",
    "pct:inf,0,10,10/max/0/default.jpg",
    "pct:0,0,-10,10/max/0/default.jpg",
    "pct:100,0,10,10/max/0/default.jpg",
    "everything/max/0/default.jpg",
    "full/max/0/défault.jpg",
]


def test_regions_and_sizes(client, photograph):
    for tail, size, content_type in REGIONS_AND_SIZES:
        response = client.get(image_url(photograph, tail))

        assert response.status_code == 200, tail
        assert response["Content-Type"] == content_type, tail
        assert response["Access-Control-Allow-Origin"] == "*"
        assert "public" in response["Cache-Control"]
        assert Image.open(io.BytesIO(response.content)).size == size, tail


def test_requests_this_service_does_not_answer_are_400(client, photograph):
    for tail in REFUSED:
        response = client.get(image_url(photograph, tail))

        assert response.status_code == 400, tail
        assert response["Content-Type"] == "text/plain; charset=utf-8", tail
        assert response["Access-Control-Allow-Origin"] == "*"


def test_a_size_over_the_limits_is_refused_and_max_is_capped(client, city):
    big = make_item(city, "T-BIG")
    picture = Image.new("RGB", (5000, 3000), "white")
    out = io.BytesIO()
    picture.save(out, "JPEG")
    services.item_media_add(big, image=out.getvalue(), filename="big.jpg")

    capped = client.get(image_url(big, "full/max/0/default.jpg"))
    refused = client.get(image_url(big, "full/4500,/0/default.jpg"))

    # maxWidth 4000 and maxArea 12 million pixels: 4000 x 2400 would be 9.6 million.
    assert Image.open(io.BytesIO(capped.content)).size == (4000, 2400)
    assert refused.status_code == 400
    assert "maxWidth" in refused.content.decode()


def test_unknown_images_are_404(client, photograph):
    for identifier in ["zz", "0" * 32, "..%2F..%2Fetc%2Fpasswd", "ABCDEF" * 6]:
        assert client.get(f"/iiif/image/{identifier}/info.json").status_code == 404
        assert client.get(f"/iiif/image/{identifier}/full/max/0/default.jpg").status_code == 404


def test_an_unpublished_items_images_are_not_served(client, photograph):
    photograph.is_public = False
    photograph.save()

    assert client.get(image_url(photograph, "full/max/0/default.jpg")).status_code == 404


def test_made_images_are_kept_and_revalidated_by_etag(client, photograph):
    first = client.get(image_url(photograph, "0,0,512,512/256,/0/default.jpg"))
    # The same pixels asked another way share the entry.
    again = client.get(image_url(photograph, "0,0,512,512/256,256/0/default.jpg"))
    cached = list(settings.ARCHIVE_IIIF_CACHE_DIR.glob("*/*"))
    # Served from the cache although the source is gone.
    photograph.media.get().file.delete(save=False)
    from_cache = client.get(image_url(photograph, "0,0,512,512/256,/0/default.jpg"))
    not_modified = client.get(image_url(photograph, "0,0,512,512/256,/0/default.jpg"), HTTP_IF_NONE_MATCH=first["ETag"])

    assert len(cached) == 1
    assert first.content == again.content == from_cache.content
    assert first["ETag"] == again["ETag"]
    assert not_modified.status_code == 304
    assert not_modified["Access-Control-Allow-Origin"] == "*"


def test_the_cache_keeps_to_its_size_by_dropping_the_least_recently_used(tmp_path):
    keys = [f"{number:02d}" + "0" * 62 for number in range(5)]
    cache = TileCache(tmp_path, max_bytes=10**9)
    for age, key in enumerate(keys):
        cache.put(key, b"x" * 3_000)
        os.utime(tmp_path / key[:2] / key[2:], (1_000 + age, 1_000 + age))
    cache.get(keys[0])  # used again: now the most recent

    cache.max_bytes = 10_000
    held = cache.trim()

    assert held == 9_000
    assert [cache.get(key) is not None for key in keys] == [True, False, False, True, True]
