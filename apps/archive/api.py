"""The archive's items as data under /api/v1/archive/items/ (read-only, anonymous, paginated, in
the OpenAPI schema), each with the address of its IIIF manifest for viewers. Answers carry an ETag
and may be kept a minute by any cache."""

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response

from apps.archive import manifests, selectors
from apps.archive.licences import LICENCES, LicenceCode
from apps.archive.models import Item
from apps.common.readonly_api import kept_for
from apps.municipalities.api import MUNICIPALITY_PARAMETER, requested_municipality

MAX_AGE = 60


class ItemPagination(LimitOffsetPagination):
    default_limit = 50
    max_limit = 200


class ArchiveItemQuerySerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=Item.Type.choices, required=False, help_text="Only items of this type.")
    collection = serializers.SlugField(required=False, max_length=60, help_text="Only items in this collection.")


class ArchivePlaceSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="The place's permanent short code (/t/<code>).")
    name_ko = serializers.CharField()
    name_en = serializers.CharField()
    latitude = serializers.FloatField()
    longitude = serializers.FloatField()


class ArchiveLicenceSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=LicenceCode.choices)
    uri = serializers.URLField(help_text="The licence as a URI (공공누리 type page or Creative Commons deed).")
    name_ko = serializers.CharField()
    name_en = serializers.CharField()


class ArchiveItemSerializer(serializers.ModelSerializer):
    type = serializers.ChoiceField(source="item_type", choices=Item.Type.choices)
    place = ArchivePlaceSerializer(allow_null=True)
    licence = serializers.SerializerMethodField()
    collections = serializers.SerializerMethodField(help_text="Short names of the collections (OAI-PMH sets).")
    image_count = serializers.SerializerMethodField()
    manifest = serializers.SerializerMethodField(
        help_text="Its IIIF Presentation 3.0 manifest; null without images, a film or a recording."
    )
    thumbnail = serializers.SerializerMethodField(help_text="A IIIF image at most 300 px on each side; null without.")

    class Meta:
        model = Item
        fields = [
            "id",
            "identifier",
            "type",
            "title_ko",
            "title_en",
            "creator_ko",
            "creator_en",
            "date_text",
            "date_earliest",
            "date_latest",
            "subjects_ko",
            "subjects_en",
            "description_ko",
            "description_en",
            "place",
            "licence",
            "rights_holder_ko",
            "rights_holder_en",
            "source_ko",
            "source_en",
            "is_illustration",
            "collections",
            "image_count",
            "manifest",
            "thumbnail",
            "updated_at",
        ]

    def _base_url(self) -> str:
        return self.context["request"].build_absolute_uri("/").rstrip("/")

    @extend_schema_field(ArchiveLicenceSerializer)
    def get_licence(self, item: Item) -> dict:
        return ArchiveLicenceSerializer(LICENCES[item.licence]).data

    def get_collections(self, item: Item) -> list[str]:
        return [collection.slug for collection in item.collections.all()]

    def get_image_count(self, item: Item) -> int:
        return len(item.media.all())

    def get_manifest(self, item: Item) -> str | None:
        return manifests.manifest_url(self._base_url(), item) if selectors.item_has_manifest(item) else None

    def get_thumbnail(self, item: Item) -> str | None:
        media = item.media.all()
        return manifests.thumbnail_url(self._base_url(), media[0]) if media else None


@extend_schema(
    summary="Archive items (Dublin Core in Korean and English) with their IIIF manifests",
    parameters=[MUNICIPALITY_PARAMETER, ArchiveItemQuerySerializer],
)
class ItemListView(generics.ListAPIView):
    serializer_class = ArchiveItemSerializer
    pagination_class = ItemPagination
    authentication_classes: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator: no request, no database
            return Item.objects.none()
        query = ArchiveItemQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        items = selectors.api_items(municipality=requested_municipality(self.request))
        if item_type := query.validated_data.get("type"):
            items = items.filter(item_type=item_type)
        if collection := query.validated_data.get("collection"):
            items = items.filter(collections__slug=collection)
        return items

    def finalize_response(self, request: Request, response, *args, **kwargs) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        return kept_for(request, response, MAX_AGE)
