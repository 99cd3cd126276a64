"""The catalogue and its rows as a plain REST API under /api/v1/opendata/, documented in the
OpenAPI schema; the CKAN Action API answers the same questions in CKAN's shapes."""

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from apps.municipalities.api import MUNICIPALITY_PARAMETER, requested_municipality
from apps.opendata.dcat import dataset_page_url, resource_downloads, with_published_versions
from apps.opendata.models import Dataset, Resource
from apps.opendata.selectors import (
    FACET_FIELDS,
    MAX_OFFSET,
    MAX_ROWS,
    SORTS,
    DatasetQuery,
    DatastoreQueryError,
    dataset_get_public,
    dataset_search,
    datastore_query,
    resource_get_public,
)

DEFAULT_DATASETS = 20
DEFAULT_ROWS = 100
# Query parameters of the rows endpoint that are not column filters.
ROW_PARAMETERS = {"limit", "offset", "sort", "q", "fields", "municipality", "format"}


def _base_url(request: Request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


class DownloadSerializer(serializers.Serializer):
    url = serializers.URLField()
    format = serializers.CharField()
    media_type = serializers.CharField(help_text="Empty for an API link.")
    size = serializers.IntegerField(allow_null=True, help_text="Bytes; only for the original file.")


class ResourceSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(source="current_version.number", allow_null=True, default=None)
    row_count = serializers.SerializerMethodField()
    columns = serializers.SerializerMethodField(help_text="Table Schema fields of the published version.")
    downloads = serializers.SerializerMethodField()
    rows_url = serializers.SerializerMethodField(help_text="The rows endpoint; null when the resource is no table.")

    class Meta:
        model = Resource
        fields = [
            "id",
            "name_ko",
            "name_en",
            "description",
            "kind",
            "format",
            "url",
            "version",
            "row_count",
            "columns",
            "downloads",
            "rows_url",
            "download_count",
        ]

    @staticmethod
    def _tabular(resource: Resource) -> bool:
        return bool(resource.current_version and resource.current_version.table_fields)

    @extend_schema_field(serializers.IntegerField(allow_null=True, help_text="Null when the resource is no table."))
    def get_row_count(self, resource: Resource) -> int | None:
        return resource.current_version.row_count if self._tabular(resource) else None

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_columns(self, resource: Resource) -> list[dict]:
        return resource.current_version.table_fields if self._tabular(resource) else []

    @extend_schema_field(DownloadSerializer(many=True))
    def get_downloads(self, resource: Resource) -> list[dict]:
        request = self.context["request"]
        return [download.__dict__ for download in resource_downloads(resource, base_url=_base_url(request))]

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_rows_url(self, resource: Resource) -> str | None:
        if not self._tabular(resource):
            return None
        path = reverse("v1:opendata-resource-rows", kwargs={"resource_id": resource.pk})
        return self.context["request"].build_absolute_uri(path)


class DatasetSerializer(serializers.ModelSerializer):
    department = serializers.SlugRelatedField(slug_field="code", read_only=True)
    department_name_ko = serializers.CharField(source="department.name_ko", read_only=True)
    department_name_en = serializers.CharField(source="department.name_en", read_only=True)
    keywords = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    licence_url = serializers.CharField(read_only=True)
    page_url = serializers.SerializerMethodField()
    resources = ResourceSerializer(many=True, read_only=True)

    class Meta:
        model = Dataset
        fields = [
            "slug",
            "title_ko",
            "title_en",
            "description_ko",
            "description_en",
            "department",
            "department_name_ko",
            "department_name_en",
            "category",
            "keywords",
            "licence",
            "licence_url",
            "update_cycle",
            "spatial_coverage",
            "temporal_start",
            "temporal_end",
            "contact_name",
            "contact_phone",
            "contact_email",
            "created_at",
            "modified_at",
            "data_updated_at",
            "quality_score",
            "download_count",
            "page_url",
            "resources",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_page_url(self, dataset: Dataset) -> str:
        return dataset_page_url(dataset, base_url=_base_url(self.context["request"]))


def _facet_parameter(name: str) -> OpenApiParameter:
    return OpenApiParameter(name, str, many=True, description=f"Only datasets with this {name}; repeat for any of.")


class DatasetQuerySerializer(serializers.Serializer):
    q = serializers.CharField(required=False, default="", allow_blank=True)
    sort = serializers.ChoiceField(choices=SORTS, default="relevance")
    limit = serializers.IntegerField(min_value=0, default=DEFAULT_DATASETS)
    offset = serializers.IntegerField(min_value=0, max_value=MAX_OFFSET, default=0)


class DatasetListView(APIView):
    """Every word of q must appear somewhere in a dataset (inside words too: 정류장 finds
    버스정류장); facet parameters (organization = department code, groups = category, res_format,
    license_id, tags) narrow the list. limit is cut to 1000."""

    @extend_schema(
        operation_id="opendata_datasets_list",
        summary="Search the published datasets",
        parameters=[
            MUNICIPALITY_PARAMETER,
            DatasetQuerySerializer,
            *(_facet_parameter(name) for name in FACET_FIELDS),
        ],
        responses=inline_serializer(
            "DatasetPage",
            {
                "count": serializers.IntegerField(),
                "next": serializers.URLField(allow_null=True),
                "previous": serializers.URLField(allow_null=True),
                "facets": serializers.DictField(
                    child=serializers.ListField(child=serializers.DictField()),
                    help_text="Facet -> [{value, count}], largest first, over all matching datasets.",
                ),
                "results": DatasetSerializer(many=True),
            },
        ),
    )
    def get(self, request: Request) -> Response:
        params = DatasetQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        limit = min(params.validated_data["limit"], MAX_ROWS)
        offset = params.validated_data["offset"]
        filters = {name: request.query_params.getlist(name) for name in FACET_FIELDS if name in request.query_params}
        page = dataset_search(
            municipality=requested_municipality(request),
            query=DatasetQuery(
                q=params.validated_data["q"],
                filters=filters,
                sort=params.validated_data["sort"],
                start=offset,
                rows=limit,
            ),
        )
        context = {"request": request}
        return Response(
            {
                "count": page.count,
                **_page_links(request, page.count, offset, limit),
                "facets": {
                    name: [{"value": value, "count": count} for value, count in counts]
                    for name, counts in page.facets.items()
                },
                "results": DatasetSerializer(with_published_versions(page.datasets), many=True, context=context).data,
            }
        )


def _page_links(request: Request, count: int, offset: int, limit: int) -> dict:
    url = request.build_absolute_uri()
    following = replace_query_param(url, "offset", offset + limit) if offset + limit < count and limit else None
    if offset <= 0:
        preceding = None
    elif offset - limit <= 0:
        preceding = remove_query_param(url, "offset")
    else:
        preceding = replace_query_param(url, "offset", offset - limit)
    return {"next": following, "previous": preceding}


@extend_schema(summary="One published dataset with its resources", parameters=[MUNICIPALITY_PARAMETER])
class DatasetDetailView(APIView):
    serializer_class = DatasetSerializer

    def get(self, request: Request, slug: str) -> Response:
        dataset = dataset_get_public(municipality=requested_municipality(request), slug=slug)
        if dataset is None:
            raise NotFound(_("There is no published dataset %(slug)s.") % {"slug": slug})
        return Response(DatasetSerializer(with_published_versions([dataset])[0], context={"request": request}).data)


class RowQuerySerializer(serializers.Serializer):
    limit = serializers.IntegerField(min_value=0, default=DEFAULT_ROWS, help_text="Rows per page; cut to 1000.")
    offset = serializers.IntegerField(min_value=0, max_value=MAX_OFFSET, default=0)
    sort = serializers.CharField(
        required=False, default="", allow_blank=True, help_text="Columns, comma-separated; -column sorts descending."
    )
    q = serializers.CharField(required=False, default="", allow_blank=True, help_text="Text inside any cell.")
    fields = serializers.CharField(
        required=False, default="", allow_blank=True, help_text="Columns to return, comma-separated; all by default."
    )


@extend_schema(
    summary="Rows of a resource's published table",
    parameters=[
        MUNICIPALITY_PARAMETER,
        RowQuerySerializer,
        OpenApiParameter(
            "column",
            str,
            description="Any other parameter filters on the column of that name: ?자치구=의정부1동; repeat for any of.",
        ),
    ],
    responses=inline_serializer(
        "RowPage",
        {
            "count": serializers.IntegerField(),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "fields": serializers.ListField(child=serializers.DictField(), help_text="Table Schema fields."),
            "results": serializers.ListField(
                child=serializers.DictField(), help_text='Rows as {column: value}, "_id" being the row number.'
            ),
        },
    ),
)
class ResourceRowsView(APIView):
    """The rows of the published version of a table resource, filtered, searched, sorted and paged.
    A column the table does not have is a 400 that names it."""

    def get(self, request: Request, resource_id) -> Response:
        resource = resource_get_public(municipality=requested_municipality(request), resource_id=resource_id)
        if resource is None:
            raise NotFound(_("There is no published resource %(id)s.") % {"id": resource_id})
        version = resource.current_version
        if version is None or not version.table_fields:
            raise NotFound(_("This resource has no rows: it is not a table or has no published file yet."))
        params = RowQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        limit = min(params.validated_data["limit"], MAX_ROWS)
        offset = params.validated_data["offset"]
        sort = [
            (column.strip().removeprefix("-"), column.strip().startswith("-"))
            for column in params.validated_data["sort"].split(",")
            if column.strip().removeprefix("-")
        ]
        fields = [name.strip() for name in params.validated_data["fields"].split(",") if name.strip()]
        filters = {
            name: values[0] if len(values) == 1 else values
            for name, values in request.query_params.lists()
            if name not in ROW_PARAMETERS
        }
        try:
            page = datastore_query(
                version=version,
                q=params.validated_data["q"],
                filters=filters,
                fields=fields or None,
                sort=sort,
                offset=offset,
                limit=limit,
            )
        except DatastoreQueryError as error:
            columns = ", ".join(field["name"] for field in version.table_fields)
            message = _("The table has no column %(column)s. Its columns: %(columns)s.") % {
                "column": error,
                "columns": columns,
            }
            return Response({"detail": message, "column": str(error)}, status=400)
        return Response(
            {
                "count": page.total,
                **_page_links(request, page.total, offset, limit),
                "fields": page.fields,
                "results": page.rows,
            }
        )
