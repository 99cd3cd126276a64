"""Reads for the data catalogue: dataset search with facets, and row queries on the datastore.

The public pages, the CKAN Action API and the row API all read through these, so a dataset is
found, counted and sorted the same way whichever door a data user comes in by.
"""

import math
import uuid
from dataclasses import dataclass, field

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.db.models.functions import Cast

from apps.common.text import search_terms
from apps.municipalities.models import Municipality
from apps.opendata.models import Dataset, DatastoreRow, Keyword, Resource, ResourceVersion

# Facet names are CKAN's, so the search page, its links and package_search share them.
FACET_FIELDS = ("organization", "groups", "res_format", "license_id", "tags")
SORTS = ("relevance", "newest", "downloads", "title", "name")
MAX_ROWS = 1000  # CKAN's own cap for package_search and datastore_search pages
MAX_OFFSET = 2**31 - 1  # the furthest page start the APIs take: a 32-bit integer, as Solr's start is


@dataclass
class DatasetQuery:
    q: str = ""
    # Facet name -> accepted values; a dataset must match one value of every facet given.
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: str = "relevance"
    start: int = 0
    rows: int = 20


@dataclass
class DatasetPage:
    count: int
    datasets: list[Dataset]
    # Facet name -> [(value, dataset count)], largest first.
    facets: dict[str, list[tuple[str, int]]]


def dataset_list_public(*, municipality: Municipality) -> QuerySet[Dataset]:
    return Dataset.objects.filter(municipality=municipality, is_published=True)


def _filtered(queryset: QuerySet[Dataset], filters: dict[str, list[str]]) -> QuerySet[Dataset]:
    lookups = {
        "organization": "department__code__in",
        "groups": "category__in",
        "license_id": "licence__in",
    }
    for name, values in filters.items():
        values = [value for value in values if value]
        if not values:
            continue
        if name in lookups:
            queryset = queryset.filter(**{lookups[name]: values})
        elif name == "res_format":
            formats = Resource.objects.filter(format__in=values).values("dataset_id")
            queryset = queryset.filter(pk__in=formats)
        elif name == "tags":
            for value in values:  # every tag asked for, as CKAN's fq=tags:a tags:b
                queryset = queryset.filter(keywords__name=value)
    return queryset


def _facets(queryset: QuerySet[Dataset], names: tuple[str, ...]) -> dict[str, list[tuple[str, int]]]:
    ids = queryset.values("pk")
    counts: dict[str, list[tuple[str, int]]] = {}
    grouped = {
        "organization": (Dataset.objects.filter(pk__in=ids), "department__code"),
        "groups": (Dataset.objects.filter(pk__in=ids), "category"),
        "license_id": (Dataset.objects.filter(pk__in=ids).exclude(licence=""), "licence"),
        "res_format": (Resource.objects.filter(dataset_id__in=ids), "format"),
        "tags": (Keyword.objects.filter(datasets__in=ids), "name"),
    }
    for name in names:
        source, column = grouped[name]
        if name in ("res_format", "tags"):
            rows = source.values(column).annotate(n=Count("datasets" if name == "tags" else "dataset", distinct=True))
        else:
            rows = source.values(column).annotate(n=Count("pk"))
        counts[name] = sorted(((row[column], row["n"]) for row in rows), key=lambda item: (-item[1], item[0]))
    return counts


def dataset_search(
    *, municipality: Municipality, query: DatasetQuery, facet_fields: tuple[str, ...] = FACET_FIELDS
) -> DatasetPage:
    """Published datasets matching every word of q anywhere inside their text, filtered by facets.

    Words match inside words (정류장 finds 버스정류장은): Korean joins particles to nouns, so a
    word-based index would miss most matches. Relevance weighs a hit in a title over one in the
    keywords over one elsewhere.
    """
    queryset = dataset_list_public(municipality=municipality)
    terms = search_terms(query.q)
    for term in terms:
        queryset = queryset.filter(search_text__contains=term)
    queryset = _filtered(queryset, query.filters)
    facets = _facets(queryset, facet_fields) if facet_fields else {}

    queryset = queryset.distinct()
    count = queryset.count()
    if query.sort == "relevance" and terms:
        score = Value(0, output_field=IntegerField())
        for term in terms:
            in_title = Q(title_ko__icontains=term) | Q(title_en__icontains=term)
            in_keywords = Exists(
                Dataset.keywords.through.objects.filter(dataset=OuterRef("pk"), keyword__name__icontains=term)
            )
            score = score + Case(When(in_title, then=Value(3)), default=Value(0), output_field=IntegerField())
            score = score + Case(When(in_keywords, then=Value(2)), default=Value(0), output_field=IntegerField())
        queryset = queryset.annotate(score=score)
        ordering: tuple[str, ...] = ("-score", "-download_count", "title_ko")
    else:
        ordering = {
            "newest": ("-modified_at", "title_ko"),
            "downloads": ("-download_count", "title_ko"),
            "title": ("title_ko",),
            "name": ("slug",),
        }.get(query.sort, ("-download_count", "title_ko"))
    # Past the end nothing is fetched, so a start of any size is an empty page, not a database overflow.
    page = _with_relations(queryset.order_by(*ordering))[query.start : query.start + query.rows]
    return DatasetPage(count=count, datasets=list(page) if query.start < count else [], facets=facets)


def _with_relations(queryset: QuerySet[Dataset]) -> QuerySet[Dataset]:
    return queryset.select_related("department", "municipality").prefetch_related("keywords", "resources")


def dataset_get_public(*, municipality: Municipality, slug: str) -> Dataset | None:
    """A published dataset by its name (CKAN: id or name; our ids are names)."""
    return _with_relations(dataset_list_public(municipality=municipality).filter(slug=slug)).first()


def resource_get_public(*, municipality: Municipality, resource_id: str) -> Resource | None:
    try:
        key = uuid.UUID(str(resource_id))
    except ValueError:
        return None
    return (
        Resource.objects.select_related("dataset__department", "dataset__municipality", "current_version")
        .filter(dataset__municipality=municipality, dataset__is_published=True, pk=key)
        .first()
    )


def published_file_resource(*, municipality: Municipality, slug: str, file_format: str) -> Resource | None:
    """The file resource the portal itself publishes a dataset to (the nightly complaints export,
    the trails' GeoJSON): the first file of that format of the city's dataset with this slug."""
    return (
        Resource.objects.filter(
            dataset__municipality=municipality, dataset__slug=slug, kind=Resource.Kind.FILE, format=file_format
        )
        .order_by("sort_order", "created_at")
        .first()
    )


def dataset_list_for_editor(*, user: AbstractBaseUser) -> QuerySet[Dataset]:
    """The datasets an editor manages: their departments' ones; every dataset for superusers."""
    datasets = Dataset.objects.select_related("department", "municipality")
    if not user.is_authenticated or not user.is_active:
        return datasets.none()
    if user.is_superuser:
        return datasets
    return datasets.filter(department__staff=user).distinct()


def resource_get_for_editor(*, user: AbstractBaseUser, resource_id: object) -> Resource | None:
    datasets = dataset_list_for_editor(user=user)
    return (
        Resource.objects.select_related("dataset__department", "current_version")
        .filter(pk=resource_id, dataset__in=datasets)
        .first()
    )


def version_list(*, resource: Resource) -> QuerySet[ResourceVersion]:
    return resource.versions.order_by("-number")


# --- Datastore ---------------------------------------------------------------------------------


class DatastoreQueryError(ValueError):
    """A row query that names a column the table does not have; the message says which."""


@dataclass
class RowPage:
    total: int
    fields: list[dict]  # the Table Schema fields asked for
    rows: list[dict]  # each with "_id" (the row number) first


NUMERIC_TYPES = ("integer", "number")


def _column(schema_fields: dict[str, dict], name: str):
    """A cell as a sortable expression; built from expressions, not lookup strings, so a column
    named with "__" stays one key."""
    if name not in schema_fields:
        raise DatastoreQueryError(name)
    if schema_fields[name].get("type") in NUMERIC_TYPES:
        return Cast(KeyTextTransform(name, "data"), FloatField())
    return KeyTextTransform(name, "data")


def datastore_query(
    *,
    version: ResourceVersion,
    q: str = "",
    filters: dict[str, object] | None = None,
    fields: list[str] | None = None,
    sort: list[tuple[str, bool]] | None = None,
    offset: int = 0,
    limit: int = 100,
) -> RowPage:
    """Rows of a version: q matches inside any cell, filters match cells exactly (a list means any
    of), sort is [(column, descending)] with "_id" for file order. Unknown columns raise
    DatastoreQueryError naming the column."""
    schema_fields = {item["name"]: item for item in version.table_fields}
    wanted = fields or list(schema_fields)
    for name in wanted:
        if name != "_id" and name not in schema_fields:
            raise DatastoreQueryError(name)
    rows = DatastoreRow.objects.filter(version=version)
    terms = search_terms(q)
    if terms:
        rows = rows.alias(text=Cast("data", TextField()))
    for term in terms:
        rows = rows.filter(text__icontains=term)
    for position, (name, value) in enumerate((filters or {}).items()):
        if name not in schema_fields:
            raise DatastoreQueryError(name)
        values = value if isinstance(value, list) else [value]
        cell = f"cell_{position}"
        condition = Q()
        for item in values:
            condition |= Q(**{cell: _typed(schema_fields[name], item)})
        rows = rows.alias(**{cell: KeyTransform(name, "data")}).filter(condition)
    total = rows.count()
    ordering = []
    for name, descending in sort or []:
        expression = F("number") if name == "_id" else _column(schema_fields, name)
        ordering.append(expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True))
    ordering.append(F("number").asc())
    # Past the end nothing is fetched, so an offset of any size is an empty page, not a database overflow.
    page = rows.order_by(*ordering).values_list("number", "data")[offset : offset + limit] if offset < total else []
    records = [{"_id": number, **{name: data.get(name) for name in wanted if name != "_id"}} for number, data in page]
    return RowPage(
        total=total,
        fields=[{"name": "_id", "type": "integer"}] + [schema_fields[name] for name in wanted if name != "_id"],
        rows=records,
    )


def _typed(schema_field: dict, value: object) -> object:
    """A filter value as the stored cell would hold it ("3" matches the integer 3). Infinity and
    NaN ("1e400", "nan") stay text: JSON cannot hold them, and no cell is either."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if schema_field.get("type") in NUMERIC_TYPES and isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            return value
        if not math.isfinite(number):
            return value
        return int(number) if number.is_integer() and schema_field["type"] == "integer" else number
    return value
