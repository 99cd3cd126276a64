"""OAI-PMH 2.0 at /oai: every verb and every error answered with a document valid against the
protocol's schema (and oai_dc's), selective and resumed harvesting, and a whole harvest by the
real harvester client oaipmh-scythe over HTTP."""

from urllib.parse import urlencode

import pytest
from django.conf import settings
from lxml import etree
from oaipmh_scythe import Scythe
from oaipmh_scythe.exceptions import BadResumptionToken, IdDoesNotExist, NoRecordsMatch

from apps.archive.licences import LicenceCode
from apps.archive.models import Collection, Item
from tests.archive.oai_schema import valid_oai_document

OAI = "{http://www.openarchives.org/OAI/2.0/}"
DC = "{http://purl.org/dc/elements/1.1/}"
PREFIX = f"oai:{settings.ARCHIVE_OAI_REPOSITORY_IDENTIFIER}:archive/"


def oai(client, method: str = "get", **arguments) -> etree._Element:
    response = getattr(client, method)("/oai", arguments)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    return valid_oai_document(response.content)


def error_code(document: etree._Element) -> str | None:
    error = document.find(f"{OAI}error")
    return error.get("code") if error is not None else None


def many_items(city, count: int, collection: Collection | None = None) -> list[Item]:
    items = Item.objects.bulk_create(
        Item(
            municipality=city,
            identifier=f"BULK-{number:05d}",
            item_type=Item.Type.PHOTOGRAPH,
            title_ko=f"사진 {number}",
            licence=LicenceCode.CC_BY,
            rights_holder_ko="시민",
        )
        for number in range(count)
    )
    if collection is not None:
        collection.items.add(*items)
    return items


VERBS = [
    ({"verb": "Identify"}, "Identify"),
    ({"verb": "ListMetadataFormats"}, "ListMetadataFormats"),
    ({"verb": "ListMetadataFormats", "identifier": "{photograph}"}, "ListMetadataFormats"),
    ({"verb": "ListSets"}, "ListSets"),
    ({"verb": "GetRecord", "identifier": "{photograph}", "metadataPrefix": "oai_dc"}, "GetRecord"),
    ({"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"}, "ListIdentifiers"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc"}, "ListRecords"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "everyday-life"}, "ListRecords"),
    (
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2000-01-01", "until": "2999-12-31"},
        "ListRecords",
    ),
    (
        {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "from": "2000-01-01T00:00:00Z"},
        "ListIdentifiers",
    ),
]


def test_every_verb_answers_a_valid_document(client, everyday, photograph):
    for arguments, answer in VERBS:
        arguments = {name: value.format(photograph=f"{PREFIX}{photograph.pk}") for name, value in arguments.items()}
        # Harvesters send GET or a form POST (protocol 3.1.1).
        for method in ("get", "post"):
            document = oai(client, method, **arguments)

            assert error_code(document) is None, arguments
            assert document.find(f"{OAI}{answer}") is not None, arguments
            # The request is echoed with its arguments.
            assert dict(document.find(f"{OAI}request").attrib) == arguments


def test_a_record_in_dublin_core(client, everyday, photograph):
    document = oai(client, verb="GetRecord", identifier=f"{PREFIX}{photograph.pk}", metadataPrefix="oai_dc")

    header = document.find(f".//{OAI}header")
    assert header.findtext(f"{OAI}identifier") == f"{PREFIX}{photograph.pk}"
    assert [spec.text for spec in header.findall(f"{OAI}setSpec")] == ["everyday-life"]
    dc = {}
    for element in document.find(f".//{OAI}metadata")[0]:
        dc.setdefault(element.tag.removeprefix(DC), []).append(element.text)
    assert dc["title"] == ["T-PHOTO 제목", "T-PHOTO title"]
    assert dc["date"] == ["1960년경", "1955/1965"]
    assert "https://www.kogl.or.kr/info/licenseType1.do" in dc["rights"]
    assert f"http://testserver/iiif/manifest/{photograph.pk}.json" in dc["identifier"]
    assert dc["coverage"] == ["의정부역 앞", "Uijeongbu Station", "37.738500, 127.045900"]
    assert dc["type"][0] == "StillImage"


def test_identify_describes_the_repository(client, photograph):
    identify = oai(client, verb="Identify").find(f"{OAI}Identify")

    assert identify.findtext(f"{OAI}baseURL") == "http://testserver/oai"
    assert identify.findtext(f"{OAI}granularity") == "YYYY-MM-DDThh:mm:ssZ"
    assert identify.findtext(f"{OAI}earliestDatestamp") == photograph.updated_at.strftime("%Y-%m-%dT%H:%M:%SZ")


ERRORS = [
    ({}, "badVerb"),
    ({"verb": "ListEverything"}, "badVerb"),
    ({"verb": ["Identify", "Identify"]}, "badVerb"),
    ({"verb": "Identify", "metadataPrefix": "oai_dc"}, "badArgument"),
    ({"verb": "ListRecords"}, "badArgument"),
    ({"verb": "GetRecord", "metadataPrefix": "oai_dc"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": ["oai_dc", "oai_dc"]}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "yesterday"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2020-01-01T00:00:00+09:00"}, "badArgument"),
    (
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2020-01-01", "until": "2021-01-01T00:00:00Z"},
        "badArgument",
    ),
    (
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2021-01-01", "until": "2020-01-01"},
        "badArgument",
    ),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "resumptionToken": "x"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
    ({"verb": "GetRecord", "identifier": "{photograph}", "metadataPrefix": "mods"}, "cannotDisseminateFormat"),
    ({"verb": "GetRecord", "identifier": f"{PREFIX}999999999", "metadataPrefix": "oai_dc"}, "idDoesNotExist"),
    (
        {"verb": "GetRecord", "identifier": "oai:elsewhere.org:archive/1", "metadataPrefix": "oai_dc"},
        "idDoesNotExist",
    ),
    ({"verb": "GetRecord", "identifier": f"{PREFIX}\x01\ufffe١", "metadataPrefix": "oai_dc"}, "idDoesNotExist"),
    ({"verb": "ListMetadataFormats", "identifier": f"{PREFIX}0"}, "idDoesNotExist"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "no-such-set"}, "noRecordsMatch"),
    ({"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "from": "2999-01-01"}, "noRecordsMatch"),
    ({"verb": "ListRecords", "resumptionToken": "not-a-token"}, "badResumptionToken"),
    ({"verb": "ListSets", "resumptionToken": "x"}, "badResumptionToken"),
]


def test_every_error_answers_a_valid_document(client, everyday, photograph):
    for arguments, code in ERRORS:
        arguments = {
            name: value.format(photograph=f"{PREFIX}{photograph.pk}") if isinstance(value, str) else value
            for name, value in arguments.items()
        }
        response = client.get(f"/oai?{urlencode(arguments, doseq=True)}")

        document = valid_oai_document(response.content)
        assert response.status_code == 200
        assert error_code(document) == code, arguments
        if code in ("badVerb", "badArgument"):
            # Only the base URL: arguments that were wrong are not echoed (protocol 3.2).
            assert dict(document.find(f"{OAI}request").attrib) == {}


def test_a_repository_without_collections_has_no_set_hierarchy(client, photograph):
    assert error_code(oai(client, verb="ListSets")) == "noSetHierarchy"


def _harvest(client, verb: str, **arguments) -> tuple[list[str], list[etree._Element]]:
    identifiers, tokens = [], []
    document = oai(client, verb=verb, metadataPrefix="oai_dc", **arguments)
    while True:
        identifiers += [element.text for element in document.iter(f"{OAI}identifier")]
        token = document.find(f".//{OAI}resumptionToken")
        if token is None or not token.text:
            tokens.append(token)
            return identifiers, tokens
        tokens.append(token)
        document = oai(client, verb=verb, resumptionToken=token.text)


def test_resumption_across_a_thousand_records(client, city):
    items = many_items(city, 1000)
    # One datestamp for all: pages are cut by (datestamp, id), never skipping or repeating a tie.
    Item.objects.update(updated_at=items[0].updated_at)

    identifiers, tokens = _harvest(client, "ListIdentifiers")

    assert len(identifiers) == len(set(identifiers)) == 1000
    assert [int(token.get("cursor")) for token in tokens] == list(range(0, 1000, 100))
    assert {token.get("completeListSize") for token in tokens} == {"1000"}
    assert tokens[-1].text is None


def test_a_record_changed_during_a_harvest_comes_in_the_next_one(client, city):
    items = many_items(city, 150)
    first = oai(client, verb="ListRecords", metadataPrefix="oai_dc")
    token = first.find(f".//{OAI}resumptionToken").text
    items[0].title_ko = "고친 제목"
    items[0].save()

    rest = oai(client, verb="ListRecords", resumptionToken=token)

    seen = [element.text for document in (first, rest) for element in document.iter(f"{OAI}identifier")]
    assert len(seen) == len(set(seen)) == 150


def test_a_list_whose_remaining_records_went_away_ends_without_an_empty_page(client, city):
    items = many_items(city, 101)
    token = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc").find(f".//{OAI}resumptionToken").text
    Item.objects.filter(pk=items[-1].pk).update(is_public=False)

    assert error_code(oai(client, verb="ListIdentifiers", resumptionToken=token)) == "noRecordsMatch"


def test_tokens_cannot_be_altered_or_used_with_another_verb(client, city):
    many_items(city, 101)
    token = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc").find(f".//{OAI}resumptionToken").text

    altered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    assert error_code(oai(client, verb="ListIdentifiers", resumptionToken=altered)) == "badResumptionToken"
    assert error_code(oai(client, verb="ListRecords", resumptionToken=token)) == "badResumptionToken"


def test_characters_xml_forbids_never_reach_the_document(client, city):
    item = many_items(city, 1)[0]
    item.title_ko = "제목\x0b\x1f 끝"
    item.save()

    document = oai(client, verb="GetRecord", identifier=f"{PREFIX}{item.pk}", metadataPrefix="oai_dc")

    assert document.find(f".//{DC}title").text == "제목 끝"


def test_unpublished_items_are_not_harvested(client, city, photograph):
    photograph.is_public = False
    photograph.save()

    document = oai(client, verb="GetRecord", identifier=f"{PREFIX}{photograph.pk}", metadataPrefix="oai_dc")

    assert error_code(document) == "idDoesNotExist"


@pytest.mark.django_db(transaction=True)
def test_the_real_harvester_harvests_the_whole_repository(live_server, city):
    everyday = Collection.objects.create(municipality=city, slug="everyday-life", title_ko="일상의 풍경")
    many_items(city, 1000, everyday)
    many_items_elsewhere = Item.objects.create(
        municipality=city,
        identifier="OUTSIDE-SET",
        item_type=Item.Type.OBJECT,
        title_ko="냄비",
        licence=LicenceCode.KOGL_4,
        rights_holder_ko="의정부문화원",
    )

    with Scythe(f"{live_server.url}/oai") as scythe:
        assert scythe.identify().repositoryName.startswith("의정부시 역사문화 아카이브")
        records = list(scythe.list_records(metadata_prefix="oai_dc"))
        in_set = list(scythe.list_identifiers(metadata_prefix="oai_dc", set_="everyday-life"))
        sets = [one.setSpec for one in scythe.list_sets()]
        record = scythe.get_record(identifier=f"{PREFIX}{many_items_elsewhere.pk}")
        with pytest.raises(IdDoesNotExist):
            scythe.get_record(identifier=f"{PREFIX}0")
        with pytest.raises(NoRecordsMatch):
            list(scythe.list_records(metadata_prefix="oai_dc", from_="2999-01-01"))
        with pytest.raises(BadResumptionToken):
            list(scythe.list_records(resumption_token="forged"))

    assert len(records) == len({record.header.identifier for record in records}) == 1001
    assert len(in_set) == 1000
    assert sets == ["everyday-life"]
    assert record.metadata["title"] == ["냄비"]
    assert record.metadata["rights"][0] == "https://www.kogl.or.kr/info/licenseType4.do"
