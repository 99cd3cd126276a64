"""The trails and their markers as data under /api/v1/trails/, for other apps, the city's kiosks and
the chatbot; documented in the OpenAPI schema. Read-only and anonymous.

Answers may be kept by any cache for a minute (less when a closure begins or ends sooner) and carry
an ETag, so a kiosk polling the list gets a 304 while nothing changed."""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from apps.common.readonly_api import kept_for, near_parameter
from apps.municipalities.api import MUNICIPALITY_PARAMETER, requested_municipality
from apps.places.models import Closure
from apps.trails.api_selectors import (
    LANGUAGE_CODES,
    TrailEntry,
    TrailFilters,
    TrailStatus,
    trail_entries,
    trails_fresh_for_seconds,
)
from apps.trails.models import Facility, TrailPage
from apps.trails.track import Difficulty

# As long as the pages' own browser cache (portal.page_cache.BROWSER_MAX_AGE).
MAX_AGE = 60
# A walk longer than two days is no day trip: such a limit is a mistake, said so.
MAX_MINUTES = 48 * 60
MAX_RADIUS_M = 50_000
DEFAULT_RADIUS_M = 5_000
DIFFICULTIES = [Difficulty.EASY, Difficulty.MODERATE, Difficulty.HARD]
STATUSES = [TrailStatus.OPEN, TrailStatus.PARTLY_CLOSED, TrailStatus.CLOSED]
LANGUAGE_HELP = (
    "The reader's language for names and texts: ko, en, zh-hans or ja. Without it, the language cookie "
    "or Accept-Language decides, else Korean. A trail or marker not written in Chinese or Japanese "
    "comes in English, then Korean. Any other value is a 400."
)


# --- Query parameters ---------------------------------------------------------------------------


class LanguageQuerySerializer(serializers.Serializer):
    lang = serializers.ChoiceField(choices=LANGUAGE_CODES, required=False, help_text=LANGUAGE_HELP)


class TrailListQuerySerializer(LanguageQuerySerializer):
    max_minutes = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_MINUTES,
        help_text="Only trails walked in at most this many minutes (walking time of the whole trail, "
        f"1 to {MAX_MINUTES}).",
    )
    difficulty = serializers.ChoiceField(choices=DIFFICULTIES, required=False, help_text="Only trails this hard.")
    open = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="true: only trails not closed as a whole (partly closed ones, with a detour, are walkable); "
        "false: only closed ones.",
    )
    near = serializers.CharField(
        required=False,
        max_length=60,
        help_text="`latitude,longitude` in degrees (WGS 84): only trails whose line passes within radius_m of "
        "this point, nearest first, with distance_from_you_m.",
    )
    radius_m = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_RADIUS_M,
        default=DEFAULT_RADIUS_M,
        help_text=f"With near: how far from the point, in metres (1 to {MAX_RADIUS_M}).",
    )

    def validate_near(self, value: str) -> tuple[float, float]:
        return near_parameter(value)


# --- Answers ------------------------------------------------------------------------------------


class FacilitySerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=Facility.values)
    label = serializers.CharField(help_text="In the reader's language.")


class MarkerSerializer(serializers.Serializer):
    number = serializers.IntegerField(help_text="As printed on the post, from the start.")
    name = serializers.CharField(help_text="In the reader's language (else English, else Korean).")
    text = serializers.CharField(help_text="The short text about this place, in the reader's language.")
    names = serializers.DictField(
        child=serializers.CharField(), help_text="The name in each language the marker has, by language code."
    )
    texts = serializers.DictField(
        child=serializers.CharField(), help_text="The text in each language the marker has, by language code."
    )
    latitude = serializers.FloatField()
    longitude = serializers.FloatField()
    along_m = serializers.FloatField(help_text="Distance from the start along the trail, in metres.")
    minutes_from_start = serializers.FloatField(help_text="Walking time from the start, in minutes.")
    is_stamp_point = serializers.BooleanField(help_text="Scanning its QR code collects a stamp of the stamp tour.")
    facilities = FacilitySerializer(many=True, help_text="Nearby: toilet, water, shelter, parking, shop, AED.")
    permanent_url = serializers.URLField(
        help_text="The short address its QR code carries (/t/<code>): it never changes, and opens the "
        "marker's page in the phone's language."
    )
    qr_png_url = serializers.URLField(help_text="The QR code of permanent_url as a PNG image.")
    qr_svg_url = serializers.URLField(help_text="The QR code of permanent_url as an SVG image, for print.")


class ClosureSerializer(serializers.Serializer):
    severity = serializers.ChoiceField(choices=Closure.Severity.values)
    severity_label = serializers.CharField(help_text="In the reader's language.")
    reason = serializers.CharField()
    detour = serializers.CharField(help_text="Empty when the city gave no detour.")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField(allow_null=True, help_text="Null: until the city lifts it.")
    marker_number = serializers.IntegerField(
        allow_null=True, help_text="The marker whose stretch it concerns; null for the whole trail."
    )


class EndpointSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="The place the trail starts or ends at, in the reader's language.")
    latitude = serializers.FloatField(allow_null=True, help_text="Null while the trail has no track.")
    longitude = serializers.FloatField(allow_null=True)


class TrailSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The trail's id (its Korean page's), the same in every language.")
    course_number = serializers.IntegerField(source="trail.course_number", allow_null=True)
    section = serializers.ChoiceField(
        source="trail.section",
        choices=TrailPage.Section.values,
        help_text="`major`: a long course (대구간); `minor`: a short stream-side section (소구간).",
    )
    language = serializers.CharField(help_text="The language title, summary and names are in.")
    title = serializers.CharField()
    titles = serializers.DictField(
        child=serializers.CharField(), help_text="The trail's name in each language it is published in."
    )
    summary = serializers.CharField()
    start = EndpointSerializer()
    end = EndpointSerializer()
    distance_m = serializers.FloatField(
        source="trail.distance_m", allow_null=True, help_text="Measured along the track."
    )
    official_distance_km = serializers.DecimalField(
        source="trail.official_distance_km",
        max_digits=5,
        decimal_places=1,
        coerce_to_string=False,
        allow_null=True,
        help_text="The length the city publishes for the course.",
    )
    ascent_m = serializers.FloatField(source="trail.ascent_m", allow_null=True, help_text="Total climb.")
    descent_m = serializers.FloatField(source="trail.descent_m", allow_null=True, help_text="Total drop.")
    highest_m = serializers.FloatField(
        source="trail.highest_m", allow_null=True, help_text="Elevation of the highest point."
    )
    walking_minutes = serializers.FloatField(
        source="trail.walking_minutes",
        allow_null=True,
        help_text="From the slope of every stretch (Tobler's hiking function), without stops.",
    )
    kcal = serializers.FloatField(source="trail.kcal", allow_null=True, help_text="Energy for a 65 kg walker.")
    difficulty = serializers.ChoiceField(
        source="trail.difficulty",
        choices=[*DIFFICULTIES, ""],
        help_text="From distance and climb (effort kilometres); empty while the trail has no track.",
    )
    difficulty_label = serializers.CharField(help_text="In the reader's language.")
    track_is_approximate = serializers.BooleanField(
        source="trail.track_is_approximate",
        help_text="The track was generated between the named points, not walked: figures are estimates.",
    )
    url = serializers.URLField(help_text="The trail's page in the reader's language.")
    pages = serializers.DictField(
        child=serializers.URLField(), help_text="The trail's page in each language it is published in."
    )
    gpx_url = serializers.URLField(allow_null=True, help_text="The track as GPX; null while there is none.")
    status = serializers.ChoiceField(
        choices=STATUSES,
        help_text="`open`; `partly-closed`: a detour, or one stretch closed; `closed`: the whole trail.",
    )
    is_open = serializers.BooleanField(help_text="False only when the whole trail is closed.")
    closures = ClosureSerializer(many=True, help_text="Closures and warnings in force now, most serious first.")
    distance_from_you_m = serializers.FloatField(
        allow_null=True, help_text="With ?near=: metres from that point to the nearest point of the trail."
    )
    markers = MarkerSerializer(many=True)


# --- Views --------------------------------------------------------------------------------------


class TrailViewMixin:
    """Language, municipality and the caching headers shared by the list and the detail."""

    serializer_class = TrailSerializer
    authentication_classes: list = []
    query_serializer_class = LanguageQuerySerializer

    def query(self) -> dict:
        params = self.query_serializer_class(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        return params.validated_data

    def dispatch(self, request, *args, **kwargs):
        # Names, texts and labels are all read and rendered in the reader's language.
        asked = request.GET.get("lang")
        language = asked if asked in LANGUAGE_CODES else translation.get_language() or settings.LANGUAGE_CODE
        with translation.override(language if language in LANGUAGE_CODES else settings.LANGUAGE_CODE):
            return super().dispatch(request, *args, **kwargs)

    def entries(self, **kwargs) -> list[TrailEntry]:
        return trail_entries(
            municipality=requested_municipality(self.request),
            language=translation.get_language(),
            request=self.request,
            **kwargs,
        )

    def finalize_response(self, request: Request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if "lang" not in request.query_params and response.status_code == 200:
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return kept_for(request, response, trails_fresh_for_seconds(longest=MAX_AGE))


NOT_MODIFIED = OpenApiResponse(description="Not modified since the ETag sent in If-None-Match.")


@extend_schema(
    summary="Trails (소풍길 courses and other walks) with figures, closures and markers",
    parameters=[MUNICIPALITY_PARAMETER, TrailListQuerySerializer],
    responses={200: TrailSerializer(many=True), 304: NOT_MODIFIED},
)
class TrailListView(TrailViewMixin, generics.ListAPIView):
    """Every published trail of the city in course order (nearest first with `near`): its figures,
    start and end, pages, GPX, closures in force and markers with their permanent URLs and QR codes.
    The filters combine; an impossible value (a negative time, a latitude of 200) is a 400 naming it."""

    query_serializer_class = TrailListQuerySerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator asks only for the model
            return []
        query = self.query()
        filters = TrailFilters(
            max_minutes=query.get("max_minutes"),
            difficulty=query.get("difficulty"),
            open=query.get("open"),
            near=query.get("near"),
            radius_m=query.get("radius_m", DEFAULT_RADIUS_M),
        )
        return self.entries(filters=filters)


@extend_schema(
    summary="One trail with its figures, closures and markers",
    parameters=[MUNICIPALITY_PARAMETER, LanguageQuerySerializer],
    responses={200: TrailSerializer, 304: NOT_MODIFIED},
)
class TrailDetailView(TrailViewMixin, generics.GenericAPIView):
    """The trail whose page has this id (any of its languages' pages names it)."""

    def get(self, request: Request, id: int) -> Response:  # noqa: A002 (the path's name)
        self.query()  # a wrong lang is a 400
        found = self.entries(trail_id=id)
        if not found:
            raise NotFound(_("There is no published trail %(id)s.") % {"id": id})
        return Response(self.get_serializer(found[0]).data)
