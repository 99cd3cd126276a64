"""The catalogue as linked data: DCAT-AP for harvesters (data.go.kr, data.europa.eu style) and
schema.org Dataset JSON-LD for search engines (Google Dataset Search)."""

import hashlib
from dataclasses import dataclass
from datetime import date, datetime

from django.core.cache import cache
from django.db.models import Count, Max, prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, XSD

from apps.municipalities.models import Municipality
from apps.municipalities.selectors import municipality_for_request
from apps.opendata.models import Category, Dataset, Licence, Resource, UpdateCycle
from apps.opendata.selectors import dataset_list_public

MEDIA_TYPES = {
    Resource.Format.CSV: "text/csv",
    Resource.Format.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    Resource.Format.JSON: "application/json",
    Resource.Format.GEOJSON: "application/geo+json",
    Resource.Format.ZIP: "application/zip",
}

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
# dct:accrualPeriodicity from the EU Publications Office frequency vocabulary.
EU_FREQUENCY = Namespace("http://publications.europa.eu/resource/authority/frequency/")
FREQUENCIES = {
    UpdateCycle.REALTIME: EU_FREQUENCY.UPDATE_CONT,
    UpdateCycle.DAILY: EU_FREQUENCY.DAILY,
    UpdateCycle.WEEKLY: EU_FREQUENCY.WEEKLY,
    UpdateCycle.MONTHLY: EU_FREQUENCY.MONTHLY,
    UpdateCycle.QUARTERLY: EU_FREQUENCY.QUARTERLY,
    UpdateCycle.HALF_YEARLY: EU_FREQUENCY.ANNUAL_2,
    UpdateCycle.YEARLY: EU_FREQUENCY.ANNUAL,
    UpdateCycle.IRREGULAR: EU_FREQUENCY.IRREG,
}
EU_FILE_TYPE = Namespace("http://publications.europa.eu/resource/authority/file-type/")
FILE_TYPES = {
    Resource.Format.CSV: EU_FILE_TYPE.CSV,
    Resource.Format.XLSX: EU_FILE_TYPE.XLSX,
    Resource.Format.JSON: EU_FILE_TYPE.JSON,
    Resource.Format.GEOJSON: EU_FILE_TYPE.GEOJSON,
    Resource.Format.ZIP: EU_FILE_TYPE.ZIP,
}
IANA_MEDIA_TYPE = Namespace("https://www.iana.org/assignments/media-types/")


@dataclass
class Download:
    """One file a data user can fetch for a resource (or the address of an API resource)."""

    url: str
    format: str
    media_type: str
    size: int | None = None


def dataset_page_url(dataset: Dataset, *, base_url: str) -> str:
    """The public dataset page in the active language."""
    return base_url.rstrip("/") + reverse("opendata:dataset", kwargs={"slug": dataset.slug})


def resource_downloads(resource: Resource, *, base_url: str) -> list[Download]:
    """The original file of the published version, then UTF-8 CSV and XLSX copies of tabular data
    in the formats the original is not; an API resource's own address; nothing before a version
    is published."""
    if resource.kind == Resource.Kind.API:
        return [Download(url=resource.url, format=resource.format, media_type="")] if resource.url else []
    version = resource.current_version
    if version is None:
        return []
    root = base_url.rstrip("/")
    downloads = [
        Download(
            url=root + reverse("opendata-file", kwargs={"resource_id": resource.pk}),
            format=resource.format,
            media_type=MEDIA_TYPES.get(resource.format, ""),
            size=version.size or None,
        )
    ]
    if version.table_fields:
        for url_name, fmt in (("opendata-file-csv", Resource.Format.CSV), ("opendata-file-xlsx", Resource.Format.XLSX)):
            if fmt != resource.format:
                downloads.append(
                    Download(
                        url=root + reverse(url_name, kwargs={"resource_id": resource.pk}),
                        format=fmt,
                        media_type=MEDIA_TYPES[fmt],
                    )
                )
    return downloads


def with_published_versions(datasets: list[Dataset]) -> list[Dataset]:
    """Loads every resource's published version in one query, for the download links."""
    prefetch_related_objects(datasets, "resources__current_version")
    return datasets


def temporal_coverage(start: date | None, end: date | None) -> str:
    """ISO 8601 interval, open-ended with ".." when one end is unknown."""
    if start is None and end is None:
        return ""
    return f"{start.isoformat() if start else '..'}/{end.isoformat() if end else '..'}"


def last_modified(dataset: Dataset) -> datetime:
    """Whichever changed last: the metadata or the data."""
    return max(filter(None, (dataset.modified_at, dataset.data_updated_at)))


def _government_organization(municipality: Municipality) -> dict:
    organization = {"@type": "GovernmentOrganization", "name": municipality.name_ko}
    if municipality.phone:
        organization["telephone"] = municipality.phone
    if municipality.address_ko:
        organization["address"] = municipality.address_ko
    return organization


def dataset_schema_org(dataset: Dataset, *, base_url: str) -> dict:
    """A schema.org Dataset as JSON-LD, for the dataset page's <script type="application/ld+json">."""
    city = _government_organization(dataset.municipality)
    department = {
        "@type": "GovernmentOrganization",
        "name": dataset.department.name_ko,
        "parentOrganization": city,
    }
    if dataset.department.phone:
        department["telephone"] = dataset.department.phone
    url = dataset_page_url(dataset, base_url=base_url)
    data = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "@id": url,
        "name": dataset.title_ko,
        "description": dataset.description_ko or dataset.description_en or dataset.title_ko,
        "url": url,
        "identifier": dataset.slug,
        "keywords": [keyword.name for keyword in dataset.keywords.all()],
        "inLanguage": "ko",
        "isAccessibleForFree": True,
        "creator": department,
        "publisher": city,
        "dateCreated": dataset.created_at.isoformat(),
        "dateModified": last_modified(dataset).isoformat(),
        "distribution": [
            {
                "@type": "DataDownload",
                "name": resource.name_ko,
                "encodingFormat": download.media_type or download.format,
                "contentUrl": download.url,
                **({"contentSize": f"{download.size} B"} if download.size else {}),
            }
            for resource in dataset.resources.all()
            for download in resource_downloads(resource, base_url=base_url)
        ],
    }
    if dataset.title_en:
        data["alternateName"] = dataset.title_en
    if dataset.licence_url:
        data["license"] = dataset.licence_url
    if dataset.spatial_coverage:
        data["spatialCoverage"] = {"@type": "Place", "name": dataset.spatial_coverage}
    if coverage := temporal_coverage(dataset.temporal_start, dataset.temporal_end):
        data["temporalCoverage"] = coverage
    return data


# --- DCAT-AP -----------------------------------------------------------------------------------

EU_THEME = Namespace("http://publications.europa.eu/resource/authority/data-theme/")
EU_LANGUAGE = Namespace("http://publications.europa.eu/resource/authority/language/")
# The national 분야 mapped onto the EU data themes harvesters facet on.
THEMES = {
    Category.ADMINISTRATION: EU_THEME.GOVE,
    Category.SAFETY: EU_THEME.JUST,
    Category.EDUCATION: EU_THEME.EDUC,
    Category.CULTURE: EU_THEME.EDUC,
    Category.ENVIRONMENT: EU_THEME.ENVI,
    Category.WELFARE: EU_THEME.SOCI,
    Category.HEALTH: EU_THEME.HEAL,
    Category.INDUSTRY: EU_THEME.ECON,
    Category.TRANSPORT: EU_THEME.TRAN,
    Category.LAND: EU_THEME.REGI,
    Category.DISASTER: EU_THEME.JUST,
}
PREFIXES = {"dcat": DCAT, "dct": DCTERMS, "foaf": FOAF, "vcard": VCARD, "xsd": XSD, "skos": SKOS}


def _both_languages(graph: Graph, subject, predicate, korean: str, english: str) -> None:
    if korean:
        graph.add((subject, predicate, Literal(korean, lang="ko")))
    if english:
        graph.add((subject, predicate, Literal(english, lang="en")))


def _label_in(label, language: str) -> str:
    with translation.override(language):
        return str(label)


def _organization(graph: Graph, name_ko: str, name_en: str) -> BNode:
    node = BNode()
    graph.add((node, RDF.type, FOAF.Organization))
    _both_languages(graph, node, FOAF.name, name_ko, name_en)
    return node


def _add_dataset(graph: Graph, dataset: Dataset, *, base_url: str) -> URIRef:
    with translation.override("ko"):  # the Korean page is the dataset's stable address
        subject = URIRef(dataset_page_url(dataset, base_url=base_url))
    graph.add((subject, RDF.type, DCAT.Dataset))
    graph.add((subject, DCTERMS.identifier, Literal(dataset.slug)))
    _both_languages(graph, subject, DCTERMS.title, dataset.title_ko, dataset.title_en)
    _both_languages(graph, subject, DCTERMS.description, dataset.description_ko, dataset.description_en)
    for keyword in dataset.keywords.all():
        graph.add((subject, DCAT.keyword, Literal(keyword.name, lang="ko")))
    graph.add((subject, DCAT.landingPage, subject))
    graph.add((subject, DCTERMS.language, EU_LANGUAGE.KOR))
    department = _organization(graph, dataset.department.name_ko, dataset.department.name_en)
    graph.add((subject, DCTERMS.publisher, department))

    theme = THEMES.get(dataset.category)
    if theme is not None:
        graph.add((subject, DCAT.theme, theme))
    category = URIRef(f"{base_url.rstrip('/')}/catalog#category-{dataset.category}")
    graph.add((category, RDF.type, SKOS.Concept))
    label = Category(dataset.category).label
    _both_languages(graph, category, SKOS.prefLabel, _label_in(label, "ko"), _label_in(label, "en"))
    graph.add((subject, DCAT.theme, category))

    licence = URIRef(dataset.licence_url) if dataset.licence_url else None
    if licence is not None:
        graph.add((subject, DCTERMS.license, licence))
        graph.add((licence, RDF.type, DCTERMS.LicenseDocument))
        graph.add((licence, DCTERMS.title, Literal(_label_in(Licence(dataset.licence).label, "en"), lang="en")))
    graph.add((subject, DCTERMS.issued, Literal(dataset.created_at, datatype=XSD.dateTime)))
    graph.add((subject, DCTERMS.modified, Literal(last_modified(dataset), datatype=XSD.dateTime)))
    if dataset.update_cycle in FREQUENCIES:
        graph.add((subject, DCTERMS.accrualPeriodicity, FREQUENCIES[dataset.update_cycle]))
    if dataset.spatial_coverage:
        place = BNode()
        graph.add((place, RDF.type, DCTERMS.Location))
        graph.add((place, SKOS.prefLabel, Literal(dataset.spatial_coverage, lang="ko")))
        graph.add((subject, DCTERMS.spatial, place))
    if dataset.temporal_start or dataset.temporal_end:
        period = BNode()
        graph.add((period, RDF.type, DCTERMS.PeriodOfTime))
        if dataset.temporal_start:
            graph.add((period, DCAT.startDate, Literal(dataset.temporal_start, datatype=XSD.date)))
        if dataset.temporal_end:
            graph.add((period, DCAT.endDate, Literal(dataset.temporal_end, datatype=XSD.date)))
        graph.add((subject, DCTERMS.temporal, period))

    contact = BNode()
    graph.add((contact, RDF.type, VCARD.Organization))
    graph.add((contact, VCARD.fn, Literal(dataset.contact_name or dataset.department.name_ko, lang="ko")))
    phone = dataset.contact_phone or dataset.department.phone
    if phone:
        graph.add((contact, VCARD.hasTelephone, URIRef("tel:" + "".join(phone.split()))))
    if dataset.contact_email:
        graph.add((contact, VCARD.hasEmail, URIRef("mailto:" + dataset.contact_email)))
    graph.add((subject, DCAT.contactPoint, contact))

    for resource in dataset.resources.all():
        for download in resource_downloads(resource, base_url=base_url):
            distribution = URIRef(f"{subject}#{resource.pk}.{download.format.lower()}")
            graph.add((subject, DCAT.distribution, distribution))
            graph.add((distribution, RDF.type, DCAT.Distribution))
            _both_languages(graph, distribution, DCTERMS.title, resource.name_ko, resource.name_en)
            if resource.description:
                graph.add((distribution, DCTERMS.description, Literal(resource.description, lang="ko")))
            graph.add((distribution, DCAT.accessURL, URIRef(download.url)))
            if resource.kind == Resource.Kind.FILE:
                graph.add((distribution, DCAT.downloadURL, URIRef(download.url)))
            if download.format in FILE_TYPES:
                graph.add((distribution, DCTERMS.format, FILE_TYPES[download.format]))
            if download.media_type:
                graph.add((distribution, DCAT.mediaType, IANA_MEDIA_TYPE[download.media_type]))
            if download.size:
                graph.add((distribution, DCAT.byteSize, Literal(download.size, datatype=XSD.nonNegativeInteger)))
            if licence is not None:
                graph.add((distribution, DCTERMS.license, licence))
    return subject


def catalog_graph(municipality: Municipality, *, base_url: str) -> Graph:
    """Every published dataset of the city as a DCAT-AP catalogue."""
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    catalog = URIRef(f"{base_url.rstrip('/')}/catalog")
    graph.add((catalog, RDF.type, DCAT.Catalog))
    _both_languages(
        graph,
        catalog,
        DCTERMS.title,
        _label_in(_("%(city)s open data"), "ko") % {"city": municipality.name_ko},
        _label_in(_("%(city)s open data"), "en") % {"city": municipality.name_en},
    )
    _both_languages(
        graph,
        catalog,
        DCTERMS.description,
        _label_in(_("Public data published by %(city)s."), "ko") % {"city": municipality.name_ko},
        _label_in(_("Public data published by %(city)s."), "en") % {"city": municipality.name_en},
    )
    graph.add((catalog, DCTERMS.publisher, _organization(graph, municipality.name_ko, municipality.name_en)))
    graph.add((catalog, DCTERMS.language, EU_LANGUAGE.KOR))
    graph.add((catalog, FOAF.homepage, URIRef(f"{base_url.rstrip('/')}/ko/open-data/")))
    datasets = (
        dataset_list_public(municipality=municipality)
        .select_related("department", "municipality")
        .prefetch_related("keywords", "resources__current_version")
        .order_by("slug")
    )
    for dataset in datasets:
        graph.add((catalog, DCAT.dataset, _add_dataset(graph, dataset, base_url=base_url)))
    return graph


CATALOG_CACHE_SECONDS = 600


def _catalog_serialized(municipality: Municipality | None, base_url: str, rdf_format: str) -> str:
    graph = catalog_graph(municipality, base_url=base_url) if municipality else Graph()
    if rdf_format == "json-ld":
        return graph.serialize(format="json-ld", context={p: str(ns) for p, ns in PREFIXES.items()})
    return graph.serialize(format=rdf_format)


def _catalog_response(request: HttpRequest, rdf_format: str, content_type: str) -> HttpResponse:
    """The catalogue, built once per change: serialising a thousand datasets takes rdflib over a
    second, and harvesters ask often. Saving a dataset or publishing a file changes the stamp."""
    municipality = municipality_for_request(request)
    base_url = request.build_absolute_uri("/")
    stamp = (
        dataset_list_public(municipality=municipality).aggregate(
            edited=Max("modified_at"), loaded=Max("data_updated_at"), count=Count("pk")
        )
        if municipality
        else {}
    )
    key = (
        "opendata-catalog:"
        + hashlib.sha256(repr((municipality and municipality.pk, base_url, rdf_format, stamp)).encode()).hexdigest()
    )
    body = cache.get_or_set(
        key, lambda: _catalog_serialized(municipality, base_url, rdf_format), timeout=CATALOG_CACHE_SECONDS
    )
    return HttpResponse(body, content_type=content_type)


@require_safe
def catalog_jsonld(request: HttpRequest) -> HttpResponse:
    return _catalog_response(request, "json-ld", "application/ld+json; charset=utf-8")


@require_safe
def catalog_turtle(request: HttpRequest) -> HttpResponse:
    return _catalog_response(request, "turtle", "text/turtle; charset=utf-8")
