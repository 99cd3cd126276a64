"""The CKAN Action API (read-only): what CKAN clients (ckanapi, harvesters, data.go.kr style
aggregators) call, answered from the same selectors as the public pages.

Requests are read the way CKAN reads them: a POST JSON body, a POST form, or a GET query string
(a repeated key is a list). Keys an action does not know are ignored, as CKAN ignores them.
Answers are CKAN's envelope, {"help", "success", "result"} or {"help", "success": false,
"error": {"__type", ...}}, with CKAN's status codes.
"""

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from apps.municipalities.models import Department, Municipality
from apps.municipalities.selectors import municipality_for_request
from apps.opendata.dcat import (
    MEDIA_TYPES,
    dataset_page_url,
    last_modified,
    resource_downloads,
    with_published_versions,
)
from apps.opendata.models import Category, Dataset, Keyword, Licence, Resource
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
OPEN_LICENCES = {Licence.KOGL_1, Licence.CC_BY, Licence.CC_BY_SA, Licence.CC0}
DEFAULT_SORT = "score desc, metadata_modified desc"
# CKAN sort clauses -> the selector's orders. "score" falls through to the next clause without a query.
SORT_ORDERS = {
    ("score", "desc"): "relevance",
    ("metadata_modified", "desc"): "newest",
    ("title_string", "asc"): "title",
    ("name", "asc"): "name",
    ("views_recent", "desc"): "downloads",
    ("views_total", "desc"): "downloads",
}
# Table Schema types as the DataStore names them.
DATASTORE_TYPES = {
    "integer": "int",
    "number": "numeric",
    "boolean": "bool",
    "date": "date",
    "datetime": "timestamp",
    "time": "time",
}
FQ_CLAUSE = re.compile(r'(?P<sign>[+-]?)(?P<field>[\w.]+):(?P<value>"(?:[^"\\]|\\.)*"|\([^)]*\)|[^\s"()]+)')
FQ_JOINERS = {"AND", "&&"}


# --- errors --------------------------------------------------------------------------------------


class ActionError(Exception):
    status = 400
    type = "Bad Request"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def error(self) -> dict:
        return {"__type": self.type, "message": self.message}


class NotFound(ActionError):
    status = 404
    type = "Not Found Error"

    def error(self) -> dict:
        return {"__type": self.type, "message": _("Not found: %(what)s") % {"what": self.message}}


class SearchQueryError(ActionError):
    type = "Search Query Error"

    def error(self) -> dict:
        return {"__type": self.type, "message": _("Search Query is invalid: %(why)s") % {"why": self.message}}


class ValidationFailed(ActionError):
    """CKAN puts each field's messages beside __type; message repeats them for readers."""

    status = 409
    type = "Validation Error"

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field

    def error(self) -> dict:
        return {"__type": self.type, self.field: [self.message], "message": f"{self.field}: {self.message}"}


# --- reading parameters --------------------------------------------------------------------------


def request_data(request: HttpRequest) -> dict:
    """The action's arguments, read as CKAN reads them."""
    if request.method == "GET":
        return {key: values[0] if len(values) == 1 else values for key, values in request.GET.lists()}
    if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = {key: values[0] if len(values) == 1 else values for key, values in request.POST.lists()}
        # CKAN's old clients post the JSON itself as the only form field's name.
        if len(form) == 1 and next(iter(form.values())) in ("", "1"):
            return _json_object(next(iter(form)))
        return form
    return _json_object(request.body.decode("utf-8", errors="replace")) if request.body.strip() else {}


def _json_object(text: str) -> dict:
    try:
        data = json.loads(text)
    except ValueError as error:
        raise ActionError(_("JSON Error: %(error)s") % {"error": error}) from error
    if not isinstance(data, dict):
        raise ActionError(_("JSON Error: the request body must be a JSON object."))
    return data


def _integer(data: dict, key: str, default: int, *, maximum: int | None = None) -> int:
    """A whole number 0 or more, read as CKAN's int_validator reads it (2.0 is 2, 2.5 is not).
    Over the maximum is cut to it, as CKAN does; without one, past MAX_OFFSET is refused, as no
    page starts there and the database could not take it."""
    value = data.get(key, default)
    if value in ("", None):
        return default
    if isinstance(value, bool | list | dict) or (isinstance(value, float) and not value.is_integer()):
        raise ValidationFailed(key, _("Invalid integer"))
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationFailed(key, _("Invalid integer")) from None
    if number < 0:
        raise ValidationFailed(key, _("Must be a positive integer"))
    if maximum is not None:
        return min(number, maximum)
    if number > MAX_OFFSET:
        raise ValidationFailed(key, _("Must be at most %(maximum)s") % {"maximum": MAX_OFFSET})
    return number


def _boolean(data: dict, key: str, default: bool = False) -> bool:
    value = data.get(key, default)
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes", "on")
    return bool(value)


def _text(data: dict, key: str, default: str = "") -> str:
    value = data.get(key, default)
    if value is None:
        return default
    if isinstance(value, list | dict):
        raise ValidationFailed(key, _("Must be a string"))
    return str(value)


def _string_list(data: dict, key: str) -> list[str]:
    """A list given as a list, a JSON list in a string, or a comma-separated string."""
    value = data.get(key)
    if value in (None, ""):
        return []
    if isinstance(value, str):
        stripped = value.strip()
        if stripped.startswith("["):
            try:
                value = json.loads(stripped)
            except ValueError:
                raise ValidationFailed(key, _("Must be a list or a JSON list")) from None
        else:
            value = [item for item in (part.strip() for part in stripped.split(",")) if item]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValidationFailed(key, _("Must be a list of strings"))
    return value


def _json_dict(data: dict, key: str) -> dict:
    value = data.get(key)
    if value in (None, ""):
        return {}
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise ValidationFailed(key, _("Must be a JSON object")) from None
    if not isinstance(value, dict):
        raise ValidationFailed(key, _("Must be a JSON object"))
    return value


# --- dictionaries --------------------------------------------------------------------------------


def ckan_time(moment: datetime | None) -> str | None:
    """CKAN's timestamps: UTC without an offset."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat() if moment else None


def organization_dict(department: Department, *, package_count: int | None = None) -> dict:
    data = {
        "id": department.code,
        "name": department.code,
        "title": department.name_ko,
        "display_name": department.name,
        "title_en": department.name_en,
        "description": department.handles,
        "type": "organization",
        "is_organization": True,
        "state": "active",
        "approval_status": "approved",
        "image_url": "",
    }
    if package_count is not None:
        data["package_count"] = package_count
    return data


def resource_dict(resource: Resource, *, base_url: str) -> dict:
    version = resource.current_version
    downloads = resource_downloads(resource, base_url=base_url)
    tabular = bool(version and version.table_fields)
    return {
        "id": str(resource.pk),
        "package_id": resource.dataset.slug,
        "name": resource.name_ko,
        "name_en": resource.name_en,
        "description": resource.description,
        "format": resource.format,
        "mimetype": MEDIA_TYPES.get(resource.format),
        "url": downloads[0].url if downloads else "",
        "url_type": "upload" if resource.kind == Resource.Kind.FILE else None,
        "resource_type": "api" if resource.kind == Resource.Kind.API else "file",
        "size": version.size if version else None,
        "hash": version.sha256 if version else "",
        "created": ckan_time(resource.created_at),
        "last_modified": ckan_time(version.published_at or version.created_at) if version else None,
        "datastore_active": tabular,
        "version": version.number if version else None,
        "row_count": version.row_count if tabular else None,
        "download_count": resource.download_count,
        "tracking_summary": {"total": resource.download_count, "recent": resource.download_count},
        "position": resource.sort_order,
        "state": "active",
    }


def package_dict(dataset: Dataset, *, base_url: str) -> dict:
    tags = [keyword.name for keyword in dataset.keywords.all()]
    resources = [resource_dict(resource, base_url=base_url) for resource in dataset.resources.all()]
    category = Category(dataset.category)
    extras = {
        "frequency": dataset.update_cycle,
        "category": dataset.category,
        "spatial_text": dataset.spatial_coverage,
        "temporal_start": dataset.temporal_start.isoformat() if dataset.temporal_start else "",
        "temporal_end": dataset.temporal_end.isoformat() if dataset.temporal_end else "",
        "quality_score": str(dataset.quality_score),
        "title_en": dataset.title_en,
        "notes_en": dataset.description_en,
        "data_updated": ckan_time(dataset.data_updated_at) or "",
        "next_update_due": ckan_time(dataset.next_update_due) or "",
    }
    return {
        "id": dataset.slug,
        "name": dataset.slug,
        "title": dataset.title_ko,
        "title_en": dataset.title_en,
        "notes": dataset.description_ko,
        "notes_en": dataset.description_en,
        "type": "dataset",
        "state": "active",
        "private": False,
        "url": dataset_page_url(dataset, base_url=base_url),
        "owner_org": dataset.department.code,
        "organization": organization_dict(dataset.department),
        "author": dataset.department.name_ko,
        "maintainer": dataset.contact_name or None,
        "maintainer_email": dataset.contact_email or None,
        "maintainer_phone": dataset.contact_phone or None,
        "license_id": dataset.licence or None,
        "license_title": str(Licence(dataset.licence).label) if dataset.licence else None,
        "license_url": dataset.licence_url or None,
        "isopen": dataset.licence in OPEN_LICENCES,
        "tags": [{"name": tag, "display_name": tag, "state": "active", "vocabulary_id": None} for tag in tags],
        "num_tags": len(tags),
        "groups": [
            {
                "id": category.value,
                "name": category.value,
                "title": str(category.label),
                "display_name": str(category.label),
            }
        ],
        "resources": resources,
        "num_resources": len(resources),
        "metadata_created": ckan_time(dataset.created_at),
        "metadata_modified": ckan_time(last_modified(dataset)),
        "frequency": dataset.update_cycle,
        "quality_score": dataset.quality_score,
        "download_count": dataset.download_count,
        "tracking_summary": {"total": dataset.download_count, "recent": dataset.download_count},
        "extras": [{"key": key, "value": value} for key, value in extras.items() if value],
    }


# --- package_search ------------------------------------------------------------------------------


def parse_fq(fq: str) -> dict[str, list[str]]:
    """CKAN filter queries as clients write them: `tags:"주차" +organization:big-data AND
    res_format:CSV`, `groups:(transport OR safety)`. Anything else is a Search Query Error."""
    filters: dict[str, list[str]] = {}
    position = 0
    for match in FQ_CLAUSE.finditer(fq):
        _check_between(fq[position : match.start()])
        position = match.end()
        field, value = match["field"], match["value"]
        if match["sign"] == "-":
            raise SearchQueryError(_("excluding with - is not supported: %(clause)s") % {"clause": match[0]})
        if field not in FACET_FIELDS:
            raise SearchQueryError(
                _("cannot filter by %(field)s; use %(fields)s") % {"field": field, "fields": ", ".join(FACET_FIELDS)}
            )
        if value.startswith("("):
            values = [_unquoted(part) for part in re.split(r"\s+OR\s+", value[1:-1].strip()) if part.strip()]
        else:
            values = [_unquoted(value)]
        filters.setdefault(field, []).extend(values)
    _check_between(fq[position:])
    return filters


def _check_between(text: str) -> None:
    leftover = [word for word in text.split() if word not in FQ_JOINERS]
    if leftover:
        raise SearchQueryError(_("cannot read %(text)s") % {"text": " ".join(leftover)})


def _unquoted(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1].replace('\\"', '"')
    return value


def parse_sort(sort: str, *, has_query: bool) -> str:
    """The selector order for a CKAN sort string; unknown fields or directions are a Validation Error."""
    clauses = []
    for clause in filter(None, (part.strip() for part in sort.split(","))):
        words = clause.split()
        key = (words[0], words[1].lower() if len(words) > 1 else "asc")
        if len(words) > 2 or key not in SORT_ORDERS:
            supported = "; ".join(f"{field} {direction}" for field, direction in SORT_ORDERS)
            raise ValidationFailed(
                "sort",
                _("Cannot sort by %(clause)s. Use one of: %(supported)s") % {"clause": clause, "supported": supported},
            )
        clauses.append(SORT_ORDERS[key])
    useful = [order for order in clauses if order != "relevance" or has_query]
    return useful[0] if useful else "relevance"


def facet_display_name(field: str, value: str, departments: dict[str, Department]) -> str:
    if field == "organization" and value in departments:
        return departments[value].name
    if field == "groups" and value in Category.values:
        return str(Category(value).label)
    if field == "license_id" and value in Licence.values:
        return str(Licence(value).label)
    return value


# --- actions -------------------------------------------------------------------------------------


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
    offset = _integer(call.data, "offset", 0)
    names = dataset_list_public(municipality=call.municipality).order_by("slug").values_list("slug", flat=True)
    if call.data.get("limit") in (None, ""):
        return list(names[offset:])
    return list(names[offset : offset + _integer(call.data, "limit", 0, maximum=MAX_OFFSET)])


def package_search(call: Call) -> dict:
    """Datasets matching q (words match inside words) and fq, with facets, sorted and paged."""
    q = _text(call.data, "q").strip()
    if q == "*:*":
        q = ""
    filters = parse_fq(_text(call.data, "fq"))
    for clause in _string_list(call.data, "fq_list"):
        for field, values in parse_fq(clause).items():
            filters.setdefault(field, []).extend(values)
    facet_fields = _string_list(call.data, "facet.field")
    unknown = [name for name in facet_fields if name not in FACET_FIELDS]
    if unknown:
        raise ValidationFailed(
            "facet.field",
            _("Unknown facet %(field)s; use %(fields)s") % {"field": unknown[0], "fields": ", ".join(FACET_FIELDS)},
        )
    if not _boolean(call.data, "facet", True):
        facet_fields = []
    # A negative facet.limit means every value, as in CKAN.
    negative = str(call.data.get("facet.limit", "")).strip().startswith("-")
    facet_limit = None if negative else _integer(call.data, "facet.limit", FACET_LIMIT, maximum=MAX_OFFSET)
    sort = _text(call.data, "sort").strip() or DEFAULT_SORT
    query = DatasetQuery(
        q=q,
        filters=filters,
        sort=parse_sort(sort, has_query=bool(q)),
        start=_integer(call.data, "start", 0),
        rows=_integer(call.data, "rows", 10, maximum=MAX_ROWS),
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
    name = _text(call.data, "id") or _text(call.data, "name")
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


ORGANIZATION_SORTS = {"name": "code", "title": "name_ko", "package_count": "package_count"}


def organization_list(call: Call) -> list:
    """Departments that publish data: their names, or whole dictionaries with all_fields."""
    sort = _text(call.data, "sort", "title asc").strip() or "title asc"
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
    wanted = _string_list(call.data, "organizations")
    if wanted:
        departments = departments.filter(code__in=wanted)
    offset = _integer(call.data, "offset", 0)
    limit = _integer(call.data, "limit", MAX_ROWS, maximum=MAX_ROWS)
    departments = departments[offset : offset + limit]
    if _boolean(call.data, "all_fields"):
        return [organization_dict(department, package_count=department.package_count) for department in departments]
    return [department.code for department in departments]


def organization_show(call: Call) -> dict:
    """A department by its code; include_datasets adds its datasets (up to 1000)."""
    code = _text(call.data, "id")
    if not code:
        raise ValidationFailed("id", _("Missing value"))
    department = _publishing_departments(call).filter(code=code).first()
    if department is None:
        raise NotFound(_("Organization %(name)s") % {"name": code})
    data = organization_dict(department, package_count=department.package_count)
    if _boolean(call.data, "include_datasets"):
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
    query = _text(call.data, "query") or _text(call.data, "q")
    if query:
        keywords = keywords.filter(name__icontains=query)
    names = list(keywords.order_by("name").values_list("name", flat=True))
    if _boolean(call.data, "all_fields"):
        return [{"id": name, "name": name, "display_name": name, "vocabulary_id": None} for name in names]
    return names


def _resource(call: Call, key: str = "id") -> Resource:
    resource_id = _text(call.data, key)
    if not resource_id:
        raise ValidationFailed(key, _("Missing value"))
    resource = resource_get_public(municipality=call.municipality, resource_id=resource_id)
    if resource is None:
        raise NotFound(_("Resource %(id)s") % {"id": resource_id})
    return resource


def resource_show(call: Call) -> dict:
    """One resource by its id."""
    return resource_dict(_resource(call), base_url=call.base_url)


def _datastore_sort(data: dict) -> list[tuple[str, bool]]:
    value = data.get("sort")
    if value in (None, ""):
        return []
    clauses = value if isinstance(value, list) else str(value).split(",")
    sort = []
    for clause in clauses:
        words = str(clause).strip().rsplit(None, 1)
        if not words:
            continue
        descending = len(words) == 2 and words[1].lower() == "desc"
        column = words[0] if len(words) == 2 and words[1].lower() in ("asc", "desc") else str(clause).strip()
        sort.append((_unquoted(column), descending))
    return sort


def datastore_search(call: Call) -> dict:
    """Rows of a resource's published version: q matches inside any cell, filters match cells
    exactly, sort is "column desc, other". limit defaults to 100 and is cut to 32000, as CKAN does."""
    resource = _resource(call, "resource_id")
    version = resource.current_version
    if version is None or not version.table_fields:
        raise NotFound(_("Resource %(id)s has no rows to search") % {"id": resource.pk})
    if isinstance(call.data.get("q"), dict):
        raise ValidationFailed("q", _("Search by column with filters; q searches every column"))
    filters = _json_dict(call.data, "filters")
    for column, value in filters.items():
        if isinstance(value, dict) or (
            isinstance(value, list) and any(isinstance(item, list | dict) for item in value)
        ):
            raise ValidationFailed(
                "filters", _("A filter is a value or a list of values: %(column)s") % {"column": column}
            )
    fields = _string_list(call.data, "fields")
    sort = _datastore_sort(call.data)
    limit = _integer(call.data, "limit", 100, maximum=DATASTORE_MAX_LIMIT)
    offset = _integer(call.data, "offset", 0)
    q = _text(call.data, "q")
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
        "fields": [_datastore_field(field) for field in page.fields],
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


def _datastore_field(field: dict) -> dict:
    data = {"id": field["name"], "type": DATASTORE_TYPES.get(field.get("type"), "text")}
    info = {key: field[source] for key, source in (("label", "title"), ("notes", "description")) if field.get(source)}
    if info:
        data["info"] = info
    return data


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
    name = _text(call.data, "name")
    if name not in ACTIONS and name != "help_show":
        raise NotFound(_("Action %(name)s") % {"name": name})
    return (ACTIONS.get(name) or help_show).__doc__


ACTIONS["help_show"] = help_show


# --- the view ------------------------------------------------------------------------------------


@csrf_exempt
@require_http_methods(["GET", "POST"])
def action(request: HttpRequest, name: str) -> JsonResponse:
    help_url = request.build_absolute_uri("/api/3/action/help_show?" + urlencode({"name": name}))
    try:
        handler = ACTIONS.get(name)
        if handler is None:
            raise ActionError(_("Action name not known: %(name)s") % {"name": name})
        municipality = municipality_for_request(request)
        if municipality is None:
            raise NotFound(_("no city is configured"))
        result = handler(Call(request, request_data(request), municipality))
    except ActionError as error:
        body = {"help": help_url, "success": False, "error": error.error()}
        return JsonResponse(body, status=error.status, json_dumps_params={"ensure_ascii": False})
    return JsonResponse(
        {"help": help_url, "success": True, "result": result}, safe=False, json_dumps_params={"ensure_ascii": False}
    )
