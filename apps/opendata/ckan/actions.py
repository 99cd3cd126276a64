"""The read actions, each taking one Call and returning the `result` of CKAN's envelope."""

import json
from collections.abc import Callable
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils.translation import gettext as _

from apps.municipalities.models import Municipality
from apps.opendata.ckan import params
from apps.opendata.ckan.dictize import (
    datastore_field_dict,
    facet_display_name,
    organization_dict,
    package_dict,
    resource_dict,
)
from apps.opendata.ckan.errors import NotFound, ValidationFailed
from apps.opendata.ckan.query import parse_datastore_sort, parse_fq, parse_sort
from apps.opendata.dcat import with_published_versions
from apps.opendata.models import Dataset, Keyword, Resource
from apps.opendata.selectors import (
    FACET_FIELDS,
    MAX_OFFSET,
    MAX_ROWS,
    DatasetQuery,
    DatastoreQueryError,
    dataset_get_public,
    dataset_list_public,
    dataset_search,
    datastore_query,
    resource_get_public,
)

CKAN_VERSION = "2.10.4"  # the API generation these answers follow
DATASTORE_MAX_LIMIT = 32000  # CKAN's ckan.datastore.search.rows_max
FACET_LIMIT = 50  # CKAN's search.facets.limit
DEFAULT_SORT = "score desc, metadata_modified desc"
ORGANIZATION_SORTS = {"name": "code", "title": "name_ko", "package_count": "package_count"}


class Call:
    """One action call: the arguments, the city and the site address."""

    def __init__(self, request: HttpRequest, data: dict, municipality: Municipality):
        self.request = request
        self.data = data
        self.municipality = municipality
        self.base_url = request.build_absolute_uri("/").rstrip("/")


def site_read(call: Call) -> bool:
    """Whether the site can be read: always true."""
    return True


def status_show(call: Call) -> dict:
    """The site's name, address, CKAN API version and extensions."""
    return {
        "ckan_version": CKAN_VERSION,
        "site_title": _("%(city)s open data") % {"city": call.municipality.name},
        "site_url": call.base_url,
        "site_description": _("Public data published by %(city)s.") % {"city": call.municipality.name},
        "locale_default": "ko",
        "extensions": ["datastore"],
    }


def package_list(call: Call) -> list[str]:
    """Names of the published datasets; limit and offset page them."""
    offset = params.integer(call.data, "offset", 0)
    names = dataset_list_public(municipality=call.municipality).order_by("slug").values_list("slug", flat=True)
    if call.data.get("limit") in (None, ""):
        return list(names[offset:])
    return list(names[offset : offset + params.integer(call.data, "limit", 0, maximum=MAX_OFFSET)])


def package_search(call: Call) -> dict:
    """Datasets matching q (words match inside words) and fq, with facets, sorted and paged."""
    q = params.text(call.data, "q").strip()
    if q == "*:*":
        q = ""
    filters = parse_fq(params.text(call.data, "fq"))
    for clause in params.string_list(call.data, "fq_list"):
        for field, values in parse_fq(clause).items():
            filters.setdefault(field, []).extend(values)
    facet_fields = params.string_list(call.data, "facet.field")
    unknown = [name for name in facet_fields if name not in FACET_FIELDS]
    if unknown:
        raise ValidationFailed(
            "facet.field",
            _("Unknown facet %(field)s; use %(fields)s") % {"field": unknown[0], "fields": ", ".join(FACET_FIELDS)},
        )
    if not params.boolean(call.data, "facet", True):
        facet_fields = []
    # A negative facet.limit means every value, as in CKAN.
    negative = str(call.data.get("facet.limit", "")).strip().startswith("-")
    facet_limit = None if negative else params.integer(call.data, "facet.limit", FACET_LIMIT, maximum=MAX_OFFSET)
    sort = params.text(call.data, "sort").strip() or DEFAULT_SORT
    query = DatasetQuery(
        q=q,
        filters=filters,
        sort=parse_sort(sort, has_query=bool(q)),
        start=params.integer(call.data, "start", 0),
        rows=params.integer(call.data, "rows", 10, maximum=MAX_ROWS),
    )
    page = dataset_search(municipality=call.municipality, query=query, facet_fields=tuple(facet_fields))
    departments = {department.code: department for department in call.municipality.departments.all()}
    facets = {field: counts[:facet_limit] for field, counts in page.facets.items()}
    return {
        "count": page.count,
        "sort": sort,
        "results": [
            package_dict(dataset, base_url=call.base_url) for dataset in with_published_versions(page.datasets)
        ],
        "facets": {field: dict(counts) for field, counts in facets.items()},
        "search_facets": {
            field: {
                "title": field,
                "items": [
                    {"name": value, "display_name": facet_display_name(field, value, departments), "count": count}
                    for value, count in counts
                ],
            }
            for field, counts in facets.items()
        },
    }


def _dataset(call: Call) -> Dataset:
    name = params.text(call.data, "id") or params.text(call.data, "name")
    if not name:
        raise ValidationFailed("id", _("Missing value"))
    dataset = dataset_get_public(municipality=call.municipality, slug=name)
    if dataset is None:
        raise NotFound(_("Dataset %(name)s") % {"name": name})
    return dataset


def package_show(call: Call) -> dict:
    """One dataset by its name (its id is its name)."""
    return package_dict(with_published_versions([_dataset(call)])[0], base_url=call.base_url)


def _publishing_departments(call: Call):
    return call.municipality.departments.annotate(
        package_count=Count("datasets", filter=Q(datasets__is_published=True, datasets__municipality=call.municipality))
    ).filter(package_count__gt=0)


def organization_list(call: Call) -> list:
    """Departments that publish data: their names, or whole dictionaries with all_fields."""
    sort = params.text(call.data, "sort", "title asc").strip() or "title asc"
    words = sort.split()
    if (
        words[0] not in ORGANIZATION_SORTS
        or len(words) > 2
        or (len(words) == 2 and words[1].lower() not in ("asc", "desc"))
    ):
        raise ValidationFailed("sort", _("Use name, title or package_count, then asc or desc"))
    descending = len(words) == 2 and words[1].lower() == "desc"
    column = ORGANIZATION_SORTS[words[0]]
    departments = _publishing_departments(call).order_by(f"-{column}" if descending else column, "code")
    wanted = params.string_list(call.data, "organizations")
    if wanted:
        departments = departments.filter(code__in=wanted)
    offset = params.integer(call.data, "offset", 0)
    limit = params.integer(call.data, "limit", MAX_ROWS, maximum=MAX_ROWS)
    departments = departments[offset : offset + limit]
    if params.boolean(call.data, "all_fields"):
        return [organization_dict(department, package_count=department.package_count) for department in departments]
    return [department.code for department in departments]


def organization_show(call: Call) -> dict:
    """A department by its code; include_datasets adds its datasets (up to 1000)."""
    code = params.text(call.data, "id")
    if not code:
        raise ValidationFailed("id", _("Missing value"))
    department = _publishing_departments(call).filter(code=code).first()
    if department is None:
        raise NotFound(_("Organization %(name)s") % {"name": code})
    data = organization_dict(department, package_count=department.package_count)
    if params.boolean(call.data, "include_datasets"):
        page = dataset_search(
            municipality=call.municipality,
            query=DatasetQuery(filters={"organization": [code]}, sort="title", rows=MAX_ROWS),
            facet_fields=(),
        )
        data["packages"] = [
            package_dict(dataset, base_url=call.base_url) for dataset in with_published_versions(page.datasets)
        ]
    return data


def tag_list(call: Call) -> list:
    """Keywords of published datasets; q keeps those containing it, all_fields gives dictionaries."""
    keywords = Keyword.objects.filter(datasets__in=dataset_list_public(municipality=call.municipality)).distinct()
    query = params.text(call.data, "query") or params.text(call.data, "q")
    if query:
        keywords = keywords.filter(name__icontains=query)
    names = list(keywords.order_by("name").values_list("name", flat=True))
    if params.boolean(call.data, "all_fields"):
        return [{"id": name, "name": name, "display_name": name, "vocabulary_id": None} for name in names]
    return names


def _resource(call: Call, key: str = "id") -> Resource:
    resource_id = params.text(call.data, key)
    if not resource_id:
        raise ValidationFailed(key, _("Missing value"))
    resource = resource_get_public(municipality=call.municipality, resource_id=resource_id)
    if resource is None:
        raise NotFound(_("Resource %(id)s") % {"id": resource_id})
    return resource


def resource_show(call: Call) -> dict:
    """One resource by its id."""
    return resource_dict(_resource(call), base_url=call.base_url)


def datastore_search(call: Call) -> dict:
    """Rows of a resource's published version: q matches inside any cell, filters match cells
    exactly, sort is "column desc, other". limit defaults to 100 and is cut to 32000, as CKAN does."""
    resource = _resource(call, "resource_id")
    version = resource.current_version
    if version is None or not version.table_fields:
        raise NotFound(_("Resource %(id)s has no rows to search") % {"id": resource.pk})
    if isinstance(call.data.get("q"), dict):
        raise ValidationFailed("q", _("Search by column with filters; q searches every column"))
    filters = params.json_dict(call.data, "filters")
    for column, value in filters.items():
        if isinstance(value, dict) or (
            isinstance(value, list) and any(isinstance(item, list | dict) for item in value)
        ):
            raise ValidationFailed(
                "filters", _("A filter is a value or a list of values: %(column)s") % {"column": column}
            )
    fields = params.string_list(call.data, "fields")
    sort = parse_datastore_sort(call.data)
    limit = params.integer(call.data, "limit", 100, maximum=DATASTORE_MAX_LIMIT)
    offset = params.integer(call.data, "offset", 0)
    q = params.text(call.data, "q")
    try:
        page = datastore_query(
            version=version, q=q, filters=filters, fields=fields or None, sort=sort, offset=offset, limit=limit
        )
    except DatastoreQueryError as error:
        column = str(error)
        key = "fields" if column in fields else "filters" if column in filters else "sort"
        raise ValidationFailed(key, _('field "%(column)s" not in table') % {"column": column}) from None
    links = {"resource_id": str(resource.pk)}
    links.update({key: call.data[key] for key in ("q", "fields", "sort") if call.data.get(key)})
    if filters:
        links["filters"] = json.dumps(filters, ensure_ascii=False)
    if "limit" in call.data:
        links["limit"] = limit
    path = call.request.path
    return {
        "resource_id": str(resource.pk),
        "fields": [datastore_field_dict(field) for field in page.fields],
        "records": page.rows,
        "total": page.total,
        "total_was_estimated": False,
        "limit": limit,
        "offset": offset,
        "filters": filters,
        "q": q,
        "sort": ", ".join(f"{column} {'desc' if descending else 'asc'}" for column, descending in sort),
        "records_format": "objects",
        "include_total": True,
        "_links": {
            "start": f"{path}?{urlencode(links, doseq=True)}",
            "next": f"{path}?{urlencode({**links, 'offset': offset + limit}, doseq=True)}",
        },
    }


ACTIONS: dict[str, Callable[[Call], object]] = {
    action.__name__: action
    for action in (
        site_read,
        status_show,
        package_list,
        package_search,
        package_show,
        organization_list,
        organization_show,
        tag_list,
        resource_show,
        datastore_search,
    )
}


def help_show(call: Call) -> str:
    """What an action does."""
    name = params.text(call.data, "name")
    if name not in ACTIONS and name != "help_show":
        raise NotFound(_("Action %(name)s") % {"name": name})
    return (ACTIONS.get(name) or help_show).__doc__


ACTIONS["help_show"] = help_show
