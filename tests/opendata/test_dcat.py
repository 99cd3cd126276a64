import json
from datetime import date

import pytest
from django.utils import translation
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, FOAF, RDF, SKOS

from apps.opendata.dcat import dataset_schema_org
from apps.opendata.models import Resource
from tests.opendata.test_row_api import publish_table

# Plain namespaces: rdflib's closed ones warn when pytest looks them over.
DCAT = Namespace("http://www.w3.org/ns/dcat#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
FREQUENCY = Namespace("http://publications.europa.eu/resource/authority/frequency/")
BASE = "https://data.example.kr"


def parking_dataset(make_dataset):
    dataset = make_dataset(
        "public-parking",
        keywords=("주차", "교통"),
        title_ko="의정부시 공영주차장 현황",
        title_en="Uijeongbu public car parks",
        description_ko="의정부시가 운영하는 공영주차장의 위치, 주차면수, 요금을 담은 자료입니다.",
        description_en="Where the city's car parks are, how many spaces they have and what they cost.",
        update_cycle="monthly",
        spatial_coverage="경기도 의정부시",
        temporal_start=date(2020, 1, 1),
        temporal_end=date(2024, 12, 31),
        contact_name="빅데이터팀",
        contact_phone="031-828-2114",
        contact_email="data@uijeongbu.example.kr",
    )
    table = publish_table(dataset)
    Resource.objects.create(
        dataset=dataset,
        name_ko="실시간 주차 가능 대수",
        kind=Resource.Kind.API,
        format=Resource.Format.API,
        url="https://api.example.kr/parking",
    )
    Resource.objects.create(dataset=dataset, name_ko="아직 올리지 않은 파일")
    return dataset, table


def test_schema_org_dataset_describes_the_page_and_its_downloads(make_dataset):
    dataset, table = parking_dataset(make_dataset)

    with translation.override("ko"):
        data = dataset_schema_org(dataset, base_url=BASE + "/")

    assert data["@context"] == "https://schema.org/" and data["@type"] == "Dataset"
    assert data["name"] == "의정부시 공영주차장 현황" and data["alternateName"] == "Uijeongbu public car parks"
    assert data["url"] == f"{BASE}/ko/open-data/datasets/public-parking/"
    assert data["identifier"] == "public-parking" and data["inLanguage"] == "ko"
    assert set(data["keywords"]) == {"주차", "교통"}
    assert data["license"] == "https://www.kogl.or.kr/info/licenseType1.do"
    assert data["creator"]["@type"] == "GovernmentOrganization"
    assert data["creator"]["name"] == dataset.department.name_ko
    assert data["creator"]["parentOrganization"]["name"] == "의정부시"
    assert data["publisher"]["@type"] == "GovernmentOrganization"
    assert data["spatialCoverage"] == {"@type": "Place", "name": "경기도 의정부시"}
    assert data["temporalCoverage"] == "2020-01-01/2024-12-31"
    assert data["dateCreated"] <= data["dateModified"]
    downloads = {item["contentUrl"]: item for item in data["distribution"]}
    assert set(downloads) == {
        f"{BASE}/open-data/files/{table.pk}/",
        f"{BASE}/open-data/files/{table.pk}.xlsx",
        "https://api.example.kr/parking",
    }
    original = downloads[f"{BASE}/open-data/files/{table.pk}/"]
    assert original["@type"] == "DataDownload" and original["encodingFormat"] == "text/csv"
    assert original["contentSize"] == "2048 B"
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data  # plain JSON, ready for the page


def test_schema_org_open_ended_coverage_and_english_page(make_dataset):
    dataset = make_dataset("census", temporal_start=date(2023, 1, 1), licence="")

    with translation.override("en"):
        data = dataset_schema_org(dataset, base_url=BASE)

    assert data["temporalCoverage"] == "2023-01-01/.."
    assert data["url"] == f"{BASE}/en/open-data/datasets/census/"
    assert "license" not in data and "spatialCoverage" not in data and data["distribution"] == []


def test_turtle_catalogue_has_the_dcat_ap_triples(client, make_dataset):
    dataset, table = parking_dataset(make_dataset)
    make_dataset("hidden", is_published=False)

    response = client.get("/catalog.ttl")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/turtle")
    graph = Graph().parse(data=response.content.decode(), format="turtle")

    (catalog,) = graph.subjects(RDF.type, DCAT.Catalog)
    datasets = set(graph.objects(catalog, DCAT.dataset))
    subject = URIRef("http://testserver/ko/open-data/datasets/public-parking/")
    assert datasets == {subject}
    assert (subject, RDF.type, DCAT.Dataset) in graph
    assert (subject, DCTERMS.title, Literal("의정부시 공영주차장 현황", lang="ko")) in graph
    assert (subject, DCTERMS.title, Literal("Uijeongbu public car parks", lang="en")) in graph
    assert (subject, DCAT.keyword, Literal("주차", lang="ko")) in graph
    assert (subject, DCTERMS.license, URIRef("https://www.kogl.or.kr/info/licenseType1.do")) in graph
    assert (subject, DCTERMS.accrualPeriodicity, FREQUENCY.MONTHLY) in graph
    assert (subject, DCAT.theme, URIRef("http://publications.europa.eu/resource/authority/data-theme/TRAN")) in graph
    assert graph.value(subject, DCTERMS.modified).datatype == XSD.dateTime

    publisher = graph.value(subject, DCTERMS.publisher)
    assert (publisher, RDF.type, FOAF.Organization) in graph
    assert (publisher, FOAF.name, Literal(dataset.department.name_ko, lang="ko")) in graph
    period = graph.value(subject, DCTERMS.temporal)
    assert graph.value(period, DCAT.startDate) == Literal(date(2020, 1, 1), datatype=XSD.date)
    assert graph.value(period, DCAT.endDate) == Literal(date(2024, 12, 31), datatype=XSD.date)
    assert graph.value(graph.value(subject, DCTERMS.spatial), SKOS.prefLabel) == Literal("경기도 의정부시", lang="ko")
    contact = graph.value(subject, DCAT.contactPoint)
    assert graph.value(contact, VCARD.hasEmail) == URIRef("mailto:data@uijeongbu.example.kr")
    assert graph.value(contact, VCARD.hasTelephone) == URIRef("tel:031-828-2114")

    distributions = set(graph.objects(subject, DCAT.distribution))
    assert len(distributions) == 3  # original CSV, XLSX copy, API; nothing for the unpublished file
    original = next(d for d in distributions if graph.value(d, DCAT.byteSize) is not None)
    assert graph.value(original, DCAT.downloadURL) == URIRef(f"http://testserver/open-data/files/{table.pk}/")
    assert int(graph.value(original, DCAT.byteSize)) == 2048
    assert graph.value(original, DCAT.mediaType) == URIRef("https://www.iana.org/assignments/media-types/text/csv")
    assert graph.value(original, DCTERMS.format) == URIRef(
        "http://publications.europa.eu/resource/authority/file-type/CSV"
    )
    api = next(d for d in distributions if graph.value(d, DCAT.accessURL) == URIRef("https://api.example.kr/parking"))
    assert graph.value(api, DCAT.downloadURL) is None


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_json_ld_catalogue_is_the_same_graph(client, make_dataset):
    parking_dataset(make_dataset)
    make_dataset("parks", title_ko="도시공원", department="parks", category="environment", update_cycle="irregular")

    response = client.get("/catalog.jsonld")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/ld+json")
    as_json_ld = Graph().parse(data=response.content.decode(), format="json-ld")
    as_turtle = Graph().parse(data=client.get("/catalog.ttl").content.decode(), format="turtle")

    assert isomorphic(as_json_ld, as_turtle)
    parks = URIRef("http://testserver/ko/open-data/datasets/parks/")
    assert (parks, DCTERMS.accrualPeriodicity, FREQUENCY.IRREG) in as_json_ld
    assert len(set(as_json_ld.subjects(RDF.type, DCAT.Dataset))) == 2


def test_the_catalogue_is_built_once_per_change(client, make_dataset, monkeypatch):
    from django.core.cache import cache

    from apps.opendata import dcat

    cache.clear()
    parks = make_dataset("parks", title_ko="도시공원 현황")
    builds = []
    build = dcat.catalog_graph
    monkeypatch.setattr(dcat, "catalog_graph", lambda *args, **kwargs: builds.append(1) or build(*args, **kwargs))

    first = client.get("/catalog.ttl").content.decode()
    assert client.get("/catalog.ttl").content.decode() == first and len(builds) == 1

    parks.title_ko = "도시공원 목록"
    parks.save()  # what the admin does
    assert "도시공원 목록" in client.get("/catalog.ttl").content.decode() and len(builds) == 2
