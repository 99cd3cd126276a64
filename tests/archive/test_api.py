"""The item API /api/v1/archive/items/: paginated, filtered, with each item's manifest address, and
in the OpenAPI schema."""

from apps.archive.models import Item
from tests.archive.conftest import make_item


def test_items_with_their_manifests(client, everyday, photograph, document):
    sound = make_item(photograph.municipality, "T-SOUND", item_type=Item.Type.AUDIO)

    response = client.get("/api/v1/archive/items/", {"limit": 2})

    page = response.json()
    assert response.status_code == 200
    assert page["count"] == 3
    assert [item["identifier"] for item in page["results"]] == ["T-DOC", "T-PHOTO"]
    assert page["next"].endswith("offset=2")
    first = page["results"][1]
    assert first["manifest"] == f"http://testserver/iiif/manifest/{photograph.pk}.json"
    assert first["licence"]["uri"] == "https://www.kogl.or.kr/info/licenseType1.do"
    assert first["place"]["name_ko"] == "의정부역 앞"
    assert (first["date_text"], first["date_earliest"], first["date_latest"]) == ("1960년경", 1955, 1965)
    assert first["collections"] == ["everyday-life"]
    assert first["is_illustration"] is True
    last = client.get("/api/v1/archive/items/", {"offset": 2}).json()["results"]
    assert [(item["id"], item["manifest"], item["thumbnail"]) for item in last] == [(sound.pk, None, None)]
    assert "ETag" in response and "public" in response["Cache-Control"]


def test_filters(client, everyday, photograph, document):
    documents = client.get("/api/v1/archive/items/", {"type": "document"}).json()
    in_collection = client.get("/api/v1/archive/items/", {"collection": "everyday-life"}).json()
    nowhere = client.get("/api/v1/archive/items/", {"collection": "nowhere"}).json()

    assert [item["identifier"] for item in documents["results"]] == ["T-DOC"]
    assert in_collection["count"] == 2
    assert nowhere["count"] == 0
    for bad in ({"type": "painting"}, {"collection": "../x"}, {"limit": "many"}):
        assert client.get("/api/v1/archive/items/", bad).status_code in (200, 400)
    assert client.get("/api/v1/archive/items/", {"type": "painting"}).status_code == 400
    # A page size beyond the limit is cut to it.
    assert client.get("/api/v1/archive/items/", {"limit": 10**9}).status_code == 200


def test_in_the_openapi_schema(client, db):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()

    operation = schema["paths"]["/api/v1/archive/items/"]["get"]
    assert {parameter["name"] for parameter in operation["parameters"]} >= {"limit", "offset", "type", "collection"}
