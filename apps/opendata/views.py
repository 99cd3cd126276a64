"""Public pages of the data catalogue under /<language>/open-data/datasets/. Thin: search and row
queries are in selectors, charts and maps in preview, and the two forms file 민원 cases through the
complaint services."""

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from apps.common.facets import Filters, chosen_filters, clear_filters_url, facet_list, filters_from_query
from apps.common.sections import section_page
from apps.complaints import selectors as complaint_selectors
from apps.complaints import services as complaint_services
from apps.complaints.intake import counted_as_filing, receipt_redirect
from apps.complaints.models import Complaint
from apps.municipalities.models import Municipality
from apps.municipalities.selectors import municipality_for_request_or_404
from apps.opendata import dcat, preview, selectors, services
from apps.opendata.downloads import XLSX_MAX_ROWS
from apps.opendata.forms import (
    ContactConsentForm,
    DataErrorForm,
    DataRequestForm,
    DatasetSearchForm,
    PreviewForm,
    cleaned_or_default,
)
from apps.opendata.models import Category, Dataset, Licence, Resource, ResourceVersion

SEARCH_PAGE_SIZE = 20
PREVIEW_PAGE_SIZE = 20
OPEN_DATA_CATEGORY = "open-data"  # the 민원 category data requests and error reports are filed under
SECTION_SLUG = "open-data"  # the Wagtail section page these pages sit under


def _section_url(request: HttpRequest) -> str:
    """The open-data section page in the reader's language, for the breadcrumb; "" when the site
    has none."""
    section = section_page(request, SECTION_SLUG)
    return section.get_url(request) if section else ""


Results = TypeVar("Results")


def _page(number: int, size: int, page_from: Callable[[int], tuple[Results, int]]) -> tuple[Results, dict]:
    """Page `number` of results fetched by page_from(start) -> (results, total), and the numbers
    the pager shows. An old link past the last page gets the last page."""
    found, total = page_from((number - 1) * size)
    page_count = max(1, math.ceil(total / size))
    if number > page_count:
        number = page_count
        found, total = page_from((number - 1) * size)
    return found, {
        "page_number": number,
        "page_count": page_count,
        "previous_page": number - 1 if number > 1 else None,
        "next_page": number + 1 if number < page_count else None,
    }


def _render(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    return render(request, template, {**context, "section_url": _section_url(request)}, status=status)


# --- Search -----------------------------------------------------------------------------------


def _facet_titles() -> dict[str, str]:
    """The catalogue's facets (selectors.FACET_FIELDS, CKAN's names) in the order they are shown."""
    return {
        "organization": _("Department"),
        "groups": _("Category"),
        "res_format": _("Format"),
        "license_id": _("Licence"),
        "tags": _("Keyword"),
    }


def _facet_labels(municipality: Municipality, facets: dict[str, list[tuple[str, int]]], filters: Filters) -> dict:
    codes = {code for code, _count in facets.get("organization", [])} | set(filters.get("organization", []))
    departments = {d.code: d.name for d in municipality.departments.filter(code__in=codes)}
    return {
        "organization": departments,
        "groups": dict(Category.choices),
        "license_id": dict(Licence.choices),
    }


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """Datasets matching every word anywhere inside their text, with facet links that work
    without JavaScript, three sort orders and pages."""
    municipality = municipality_for_request_or_404(request)
    form = DatasetSearchForm(request.GET)
    q = cleaned_or_default(form, "q", "")
    sort = cleaned_or_default(form, "sort", "relevance")
    page_number = cleaned_or_default(form, "page", 1)
    filters = filters_from_query(request.GET, selectors.FACET_FIELDS)

    def page_from(start: int) -> tuple[selectors.DatasetPage, int]:
        query = selectors.DatasetQuery(q=q, filters=filters, sort=sort, start=start, rows=SEARCH_PAGE_SIZE)
        found = selectors.dataset_search(municipality=municipality, query=query)
        return found, found.count

    found, pages = _page(page_number, SEARCH_PAGE_SIZE, page_from)
    for dataset in found.datasets:
        dataset.formats = sorted({resource.format for resource in dataset.resources.all()})
    labels = _facet_labels(municipality, found.facets, filters)
    context = {
        "form": form,
        "q": q,
        "sort": sort,
        "found": found,
        "facets": facet_list(request.GET, found.facets, filters, _facet_titles(), labels),
        "chosen_filters": chosen_filters(request.GET, filters, _facet_titles(), labels),
        "clear_url": clear_filters_url(reverse("opendata:search"), q),
        **pages,
    }
    return _render(request, "opendata/search.html", context, status=400 if form.errors else 200)


# --- Dataset page -----------------------------------------------------------------------------


def _dataset(request: HttpRequest, slug: str) -> Dataset:
    found = selectors.dataset_get_public(municipality=municipality_for_request_or_404(request), slug=slug)
    if found is None:
        raise Http404
    return found


def _published(resource: Resource) -> ResourceVersion | None:
    return resource.current_version if resource.kind == Resource.Kind.FILE else None


def _is_table(resource: Resource) -> bool:
    version = _published(resource)
    return version is not None and bool(version.table_fields) and version.row_count > 0


@dataclass(frozen=True)
class HeaderCell:
    name: str
    numeric: bool
    sorted: str  # "ascending", "descending" or "" for aria-sort
    url: str  # sorts by this column (the other way round when it is already sorted by it)


def _sort_url(query: QueryDict, resource: Resource, column: str, descending: bool) -> str:
    changed = query.copy()
    changed.pop("page", None)
    changed["resource"] = str(resource.pk)
    changed["sort"] = column
    changed["order"] = "desc" if descending else "asc"
    return f"?{changed.urlencode()}#preview"


def _table_preview(request: HttpRequest, resource: Resource) -> dict:
    """The table preview and the chart of one resource, from the page's query string."""
    version = resource.current_version
    fields = version.table_fields
    columns = [field["name"] for field in fields]
    numeric = preview.numeric_columns(fields)
    numeric_all = {field["name"] for field in fields if field.get("type") in selectors.NUMERIC_TYPES}
    form = PreviewForm(request.GET, columns=columns, numeric=numeric)
    sort_column = cleaned_or_default(form, "sort", "")
    descending = cleaned_or_default(form, "order", "asc") == "desc"
    sort = [(sort_column, descending)] if sort_column else None
    page_number = cleaned_or_default(form, "page", 1)

    def page_from(offset: int) -> tuple[selectors.RowPage, int]:
        rows = selectors.datastore_query(version=version, sort=sort, offset=offset, limit=PREVIEW_PAGE_SIZE)
        return rows, rows.total

    rows, pages = _page(page_number, PREVIEW_PAGE_SIZE, page_from)
    page_number = pages["page_number"]
    header = [
        HeaderCell(
            name=name,
            numeric=name in numeric_all,
            sorted=("descending" if descending else "ascending") if name == sort_column else "",
            url=_sort_url(request.GET, resource, name, name == sort_column and not descending),
        )
        for name in columns
    ]
    label_column = cleaned_or_default(form, "label", preview.default_label_column(fields))
    value_column = cleaned_or_default(form, "value", preview.default_value_column(numeric))
    chart = (
        preview.bar_chart(version, label_column=label_column, value_column=value_column, sort=sort)
        if value_column
        else None
    )
    return {
        "resource": resource,
        "version": version,
        "form": form,
        "header": header,
        "rows": [(row["_id"], [(row[name], name in numeric_all) for name in columns]) for row in rows.rows],
        "total": rows.total,
        "first_row": (page_number - 1) * PREVIEW_PAGE_SIZE + 1 if rows.rows else 0,
        "last_row": (page_number - 1) * PREVIEW_PAGE_SIZE + len(rows.rows),
        "sort_column": sort_column,
        "order": "desc" if descending else "asc",
        **pages,
        "chart": chart,
        "label_columns": columns,
        "value_columns": numeric,
    }


def _map_resource(resources: list[Resource], previewed: Resource | None) -> Resource | None:
    """The previewed table when it has coordinates, else the first GeoJSON file."""
    if previewed is not None and preview.has_map(previewed, previewed.current_version):
        return previewed
    for resource in resources:
        version = _published(resource)
        if version is not None and preview.is_geojson(resource, version) and preview.has_map(resource, version):
            return resource
    return None


def _api_examples(base_url: str, found: Dataset, table: Resource | None) -> dict:
    """The real addresses the page's curl and Python examples call for this dataset and its table."""
    addresses = {"base": base_url, "package_show": f"{base_url}/api/3/action/package_show?id={found.slug}"}
    if table is not None:
        addresses["resource_id"] = str(table.pk)
        addresses["datastore_search"] = f"{base_url}/api/3/action/datastore_search?resource_id={table.pk}&limit=5"
        addresses["rows"] = base_url + reverse("v1:opendata-resource-rows", args=[table.pk]) + "?limit=5"
    return addresses


def _map_texts() -> dict[str, str]:
    """What the map's script says, in the page's language."""
    return {
        "shown": _("{count} places on the map."),
        "truncated": _("The map shows the first {count} places; download the file for all of them."),
        "empty": _("No rows have coordinates that can be drawn."),
        "failed": _("The map could not be loaded. The table and the downloads still work."),
    }


def _json_ld(data: object) -> SafeString:
    """JSON for a <script> element: <, > and & escaped so the text cannot close the element."""
    text = json.dumps(data, ensure_ascii=False, cls=DjangoJSONEncoder)
    escaped = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(escaped)  # noqa: S308 - escaped above, as django.utils.html.json_script does


@require_GET
def dataset(request: HttpRequest, slug: str) -> HttpResponse:
    """A dataset's metadata, quality, files with their versions, a table, chart and map of its
    rows, and how to get it through the APIs."""
    found = _dataset(request, slug)
    resources = list(found.resources.select_related("current_version").order_by("sort_order", "created_at"))
    for resource in resources:
        resource.published = _published(resource)
        resource.history = (
            list(selectors.version_list(resource=resource).filter(published_at__isnull=False))
            if resource.kind == Resource.Kind.FILE
            else []
        )
    tables = [resource for resource in resources if _is_table(resource)]
    wanted = request.GET.get("resource", "")
    previewed = next((r for r in tables if str(r.pk) == wanted), tables[0] if tables else None)
    table = _table_preview(request, previewed) if previewed else None
    mapped = _map_resource(resources, previewed)
    unknown_resource = bool(wanted) and (previewed is None or str(previewed.pk) != wanted)
    base_url = request.build_absolute_uri("/").rstrip("/")
    context = {
        "dataset": found,
        "resources": resources,
        "tables": tables,
        "table": table,
        "map_resource": mapped,
        "map_url": reverse("opendata:map", args=[found.slug, mapped.pk]) if mapped else "",
        "map_texts": _map_texts(),
        "quality": services.quality_report(found),
        "api": _api_examples(base_url, found, previewed),
        "unknown_resource": unknown_resource,
        "xlsx_max_rows": XLSX_MAX_ROWS,
        "json_ld": _json_ld(dcat.dataset_schema_org(found, base_url=base_url)),
    }
    bad_input = unknown_resource or bool(table and table["form"].errors)
    return _render(request, "opendata/dataset.html", context, status=400 if bad_input else 200)


@require_GET
def map_features(request: HttpRequest, slug: str, resource_id) -> JsonResponse:
    """The map's points (or a GeoJSON file's shapes) as a GeoJSON FeatureCollection."""
    found = _dataset(request, slug)
    resource = found.resources.select_related("current_version").filter(pk=resource_id).first()
    version = _published(resource) if resource else None
    if version is None or not preview.has_map(resource, version):
        return JsonResponse({"error": _("This file has no map.")}, status=404)
    try:
        collection = preview.map_features(resource, version)
    except preview.GeoJSONUnreadable:
        return JsonResponse({"error": _("This GeoJSON file could not be read.")}, status=422)
    response = JsonResponse(collection, content_type="application/geo+json", json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "public, max-age=300"
    return response


# --- Requests and error reports (민원 cases) --------------------------------------------------


@counted_as_filing
def _file_case(request: HttpRequest, form: ContactConsentForm, page: dict) -> HttpResponse:
    """File the form as an open-data 민원 case and show its receipt, as the report form does."""
    municipality = municipality_for_request_or_404(request)
    if not form.is_valid():
        return _render(request, "opendata/case_form.html", {**page, "form": form}, status=400)
    category = complaint_selectors.category_list(municipality=municipality).filter(code=OPEN_DATA_CATEGORY).first()
    if category is None:
        form.add_error(None, _("The city does not take open-data requests online at the moment. Please call us."))
        return _render(request, "opendata/case_form.html", {**page, "form": form}, status=400)
    try:
        submission = complaint_services.complaint_submit(
            category=category,
            description=form.description(),
            channel=Complaint.Channel.WEB,
            language=translation.get_language(),
            contact=form.contact(),
        )
    except complaint_services.ComplaintError as error:
        form.add_service_error(error)
        return _render(request, "opendata/case_form.html", {**page, "form": form}, status=400)
    return receipt_redirect(request, submission)


@require_http_methods(["GET", "POST"])
def data_request(request: HttpRequest) -> HttpResponse:
    """Ask the city to publish a dataset it does not have yet."""
    municipality_for_request_or_404(request)
    page = {
        "title": _("Request a dataset"),
        "lead": _(
            "Tell us what data you need. The request goes to the big-data team as a 민원 case, "
            "with an answer due in working days, and you can follow it with its tracking link."
        ),
        "action": reverse("opendata:request"),
    }
    form = DataRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        return _file_case(request, form, page)
    return _render(request, "opendata/case_form.html", {**page, "form": form})


@require_http_methods(["GET", "POST"])
def data_error(request: HttpRequest, slug: str) -> HttpResponse:
    """Report a mistake in a dataset; the case names the dataset and, if chosen, the file."""
    found = _dataset(request, slug)
    page = {
        "title": _("Report a data error"),
        "lead": _(
            "Found a wrong value, a missing row or a broken file? Tell us and the department in charge "
            "will check and answer as a 민원 case."
        ),
        "action": reverse("opendata:report-error", args=[found.slug]),
        "dataset": found,
    }
    dataset_url = request.build_absolute_uri(reverse("opendata:dataset", args=[found.slug]))
    form = DataErrorForm(
        request.POST if request.method == "POST" else None,
        dataset=found,
        dataset_url=dataset_url,
        initial={"resource": request.GET.get("resource", "")},
    )
    if request.method == "POST":
        return _file_case(request, form, page)
    return _render(request, "opendata/case_form.html", {**page, "form": form})
