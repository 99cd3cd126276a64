"""IIIF Presentation 3.0 at /iiif/manifest/<id>.json and /iiif/collection/<id>.json: each document
read back into iiif-prezi3's models (which check every field against the specification), with
Korean and English labels, the licence URI as `rights` and the attribution viewers must show."""

from iiif_prezi3 import Collection as IIIFCollection
from iiif_prezi3 import Manifest

from apps.archive.licences import LicenceCode
from tests.archive.conftest import make_item


def loaded_back(model, document: dict) -> dict:
    """The document read into iiif-prezi3's model (a ValidationError if any field breaks the
    specification) and written out again: the same document, nothing dropped or changed."""
    body = {key: value for key, value in document.items() if key != "@context"}
    assert model(**body).model_dump(mode="json", exclude_none=True, by_alias=True) == body
    return body


def test_an_item_manifest(client, photograph):
    response = client.get(f"/iiif/manifest/{photograph.pk}.json")

    document = response.json()
    loaded_back(Manifest, document)
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Content-Type"] == "application/json"
    assert document["@context"][-1] == "http://iiif.io/api/presentation/3/context.json"
    assert document["label"] == {"ko": ["T-PHOTO 제목"], "en": ["T-PHOTO title"]}
    assert document["rights"] == "https://www.kogl.or.kr/info/licenseType1.do"
    assert document["requiredStatement"]["value"] == {
        "ko": ["의정부문화원 · 공공누리 제1유형: 출처표시"],
        "en": ["Uijeongbu Cultural Center · KOGL Type 1: attribution"],
    }
    assert document["navDate"] == "1955-01-01T00:00:00Z"
    # On the map where the walker stands: GeoJSON longitude, latitude.
    assert document["navPlace"]["features"][0]["geometry"]["coordinates"] == [127.0459, 37.7385]
    (canvas,) = document["items"]
    body = canvas["items"][0]["items"][0]["body"]
    service = f"http://testserver/iiif/image/{photograph.media.get().uuid.hex}"
    assert (canvas["width"], canvas["height"]) == (1600, 1200)
    assert body["service"] == [{"id": service, "type": "ImageService3", "profile": "level1"}]
    assert client.get(body["id"].removeprefix("http://testserver")).status_code == 200
    assert client.get(document["thumbnail"][0]["id"].removeprefix("http://testserver")).status_code == 200
    # Drawn for the demo, and the manifest says so in both languages.
    notes = [entry for entry in document["metadata"] if entry["label"]["en"] == ["Note"]]
    assert notes[0]["value"]["en"] == ["An illustration drawn for the demo, not a historical photograph or record."]
    assert document["seeAlso"][0]["profile"] == "http://www.openarchives.org/OAI/2.0/oai_dc/"


def test_a_document_is_paged_in_order(client, document):
    response = client.get(f"/iiif/manifest/{document.pk}.json", HTTP_ACCEPT="application/ld+json")

    manifest = loaded_back(Manifest, response.json())
    assert response["Content-Type"] == 'application/ld+json;profile="http://iiif.io/api/presentation/3/context.json"'
    assert manifest["behavior"] == ["paged"]
    assert [canvas["label"]["ko"] for canvas in manifest["items"]] == [["1쪽"], ["2쪽"], ["3쪽"]]
    assert "navPlace" not in manifest


def test_manifests_revalidate_by_etag(client, photograph):
    first = client.get(f"/iiif/manifest/{photograph.pk}.json")

    again = client.get(f"/iiif/manifest/{photograph.pk}.json", HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304


def test_a_collection_lists_the_manifests_of_its_items_with_images(client, city, everyday, photograph, document):
    everyday.items.add(make_item(city, "T-SOUND", item_type="audio", licence=LicenceCode.CC_BY))

    response = client.get(f"/iiif/collection/{everyday.pk}.json")

    collection = loaded_back(IIIFCollection, response.json())
    assert collection["label"] == {"ko": ["일상의 풍경"], "en": ["Everyday life"]}
    assert [item["id"] for item in collection["items"]] == [
        f"http://testserver/iiif/manifest/{document.pk}.json",
        f"http://testserver/iiif/manifest/{photograph.pk}.json",
    ]


def test_what_has_no_manifest_is_404(client, city, photograph):
    sound = make_item(city, "T-SOUND", item_type="audio")
    photograph.is_public = False
    photograph.save()

    for address in (
        f"/iiif/manifest/{sound.pk}.json",
        f"/iiif/manifest/{photograph.pk}.json",
        "/iiif/collection/0.json",
    ):
        response = client.get(address)
        assert response.status_code == 404
        assert response["Access-Control-Allow-Origin"] == "*"
