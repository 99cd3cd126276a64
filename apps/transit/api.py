"""Stops and their arrivals under /api/v1/mobility/ (read-only, anonymous, in the OpenAPI schema).
Answers carry an ETag and may be kept 30 seconds (CachedReadMixin.max_age): arrivals are cached that long anyway."""

import re

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from google.protobuf import json_format
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from apps.common.readonly_api import CachedReadMixin, near_parameter
from apps.municipalities.api import MUNICIPALITY_PARAMETER, requested_municipality
from apps.transit import selectors
from apps.transit.arrivals import StopBoard, stop_board
from apps.transit.models import Stop
from apps.transit.realtime import trip_updates_feed

MAX_STOPS = 10
MAX_RADIUS_M = 5_000
STOP_ID = re.compile(r"^[\w.-]{1,100}$")
NOT_MODIFIED = OpenApiResponse(description="Not modified since the ETag sent in If-None-Match.")


class StopQuerySerializer(serializers.Serializer):
    near = serializers.CharField(
        required=False, max_length=60, help_text="`latitude,longitude` (WGS 84): nearest stops first."
    )
    radius_m = serializers.IntegerField(required=False, min_value=1, max_value=MAX_RADIUS_M, default=1_000)
    q = serializers.CharField(
        required=False, max_length=50, help_text="Words of the stop's name (의정부역, 시청): stops whose name has them."
    )

    def validate_near(self, value: str) -> tuple[float, float]:
        return near_parameter(value)

    def validate(self, data: dict) -> dict:
        if "near" not in data and not data.get("q", "").strip():
            raise serializers.ValidationError(_("Give near=latitude,longitude or q=words of a stop's name."))
        return data


class StopSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="The GTFS stop_id (for buses, GBIS's stationId).")
    code = serializers.CharField(help_text="The number on the stop's sign (정류소번호); empty for stations.")
    name = serializers.CharField()
    latitude = serializers.FloatField()
    longitude = serializers.FloatField()
    short_url = serializers.CharField(help_text="The stop's permanent /t/<code> address.")
    distance_m = serializers.FloatField(allow_null=True)


class DepartureSerializer(serializers.Serializer):
    trip_id = serializers.CharField()
    leaves_at = serializers.DateTimeField()
    minutes = serializers.IntegerField()


class RouteDeparturesSerializer(serializers.Serializer):
    route_id = serializers.CharField()
    route_name = serializers.CharField()
    route_type = serializers.IntegerField(help_text="GTFS route_type: 3 bus, 0 light rail, 2 rail.")
    next = DepartureSerializer(many=True)
    last = DepartureSerializer(allow_null=True, help_text="The last departure of today's service day.")


class LiveArrivalSerializer(serializers.Serializer):
    route_id = serializers.CharField()
    route_name = serializers.CharField()
    predict_seconds = serializers.IntegerField()
    stops_away = serializers.IntegerField(allow_null=True)
    plate = serializers.CharField()
    low_floor = serializers.BooleanField()
    remaining_seats = serializers.IntegerField(allow_null=True)
    crowding = serializers.IntegerField(allow_null=True, help_text="GBIS crowded: 1 여유, 2 보통, 3 혼잡, 4 매우혼잡.")
    flag = serializers.CharField(help_text="GBIS flag: RUN, PASS, STOP or WAIT.")
    direction_id = serializers.IntegerField(
        allow_null=True, help_text="0 on the way out (GBIS staOrder ≤ turnSeq), 1 on the way back."
    )
    observed_at = serializers.DateTimeField(help_text="When the provider gave this prediction.")


class ArrivalsSerializer(serializers.Serializer):
    stop = StopSerializer()
    source = serializers.ChoiceField(
        choices=["live", "demo", "scheduled"],
        help_text=(
            "live: GBIS's predictions; demo: worked out from the illustrative timetable (no provider configured); "
            "scheduled: no live data now, times are the timetable's."
        ),
    )
    illustrative = serializers.BooleanField(help_text="The timetable is an illustrative one, not the operators'.")
    live = LiveArrivalSerializer(many=True)
    routes = RouteDeparturesSerializer(many=True)


def stop_data(stop: Stop, distance_m: float | None = None) -> dict:
    return {
        "id": stop.stop_id,
        "code": stop.code,
        "name": stop.name,
        "latitude": stop.place.latitude,
        "longitude": stop.place.longitude,
        "short_url": f"/t/{stop.place.code}",
        "distance_m": round(distance_m, 1) if distance_m is not None else None,
    }


def board_data(board: StopBoard, now) -> dict:
    def departure(item) -> dict | None:
        if item is None:
            return None
        return {"trip_id": item.trip_id, "leaves_at": item.leaves_at, "minutes": item.minutes_from(now)}

    return {
        "stop": stop_data(board.stop),
        "source": board.source,
        "illustrative": board.illustrative,
        "live": [vars(arrival) for arrival in board.live],
        "routes": [
            {
                "route_id": route.route_id,
                "route_name": route.route_name,
                "route_type": route.route_type,
                "next": [departure(item) for item in route.next],
                "last": departure(route.last),
            }
            for route in board.routes
        ],
    }


def city_stop(request: Request, stop_id: str) -> Stop:
    """The stop of the requested city's feed, or 404 (another city's stop is not found here)."""
    stop = None
    if STOP_ID.match(stop_id):
        stop = (
            Stop.objects.select_related("place", "feed")
            .filter(feed__municipality=requested_municipality(request), stop_id=stop_id)
            .first()
        )
    if stop is None:
        raise NotFound(_("There is no stop %(id)s.") % {"id": stop_id[:20]})
    return stop


@extend_schema(
    summary="Bus stops and stations nearest a point, or by name",
    parameters=[MUNICIPALITY_PARAMETER, StopQuerySerializer],
    responses={200: StopSerializer(many=True), 304: NOT_MODIFIED},
)
class StopListView(CachedReadMixin, generics.GenericAPIView):
    serializer_class = StopSerializer

    def get(self, request: Request) -> Response:
        query = StopQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        city = requested_municipality(request)
        if "near" not in query.validated_data:
            named = selectors.stops_named(query.validated_data["q"], municipality=city, count=MAX_STOPS)
            return Response([stop_data(stop) for stop in named])
        latitude, longitude = query.validated_data["near"]
        found = selectors.stops_near(
            latitude, longitude, municipality=city, count=MAX_STOPS, radius_m=query.validated_data["radius_m"]
        )
        return Response([stop_data(stop, distance) for stop, distance in found])


@extend_schema(
    summary="Arrivals at a stop: live (GBIS) or scheduled, with the last departure of the day",
    parameters=[MUNICIPALITY_PARAMETER],
    responses={200: ArrivalsSerializer, 304: NOT_MODIFIED},
)
class StopArrivalsView(CachedReadMixin, generics.GenericAPIView):
    serializer_class = ArrivalsSerializer

    def get(self, request: Request, stop_id: str) -> Response:
        now = timezone.now()
        return Response(board_data(stop_board(city_stop(request, stop_id), now=now), now))


class ProtobufRenderer(BaseRenderer):
    """Writes a GTFS-Realtime FeedMessage as protocol buffers, the format GTFS-RT consumers read."""

    media_type = "application/x-protobuf"
    format = "pb"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        # An error answer (e.g. a 404 for ?format=xml) is a dict: it goes out as JSON.
        return data.SerializeToString() if hasattr(data, "SerializeToString") else JSONRenderer().render(data)


@extend_schema(
    summary="Live arrivals as a GTFS-Realtime TripUpdates feed (protocol buffers; ?format=json to read it)",
    description=(
        "The trips of the city's GTFS feed that live bus arrivals (GBIS) are known for now, one TripUpdate "
        "each with a StopTimeUpdate (predicted arrival time and delay) per stop. Only arrivals fetched for "
        "visitors in the last window are published: this feed never asks the provider itself."
    ),
    parameters=[
        MUNICIPALITY_PARAMETER,
        OpenApiParameter("format", str, enum=["pb", "json"], description="json: the same feed as JSON, for reading."),
    ],
    responses={(200, "application/x-protobuf"): OpenApiTypes.BINARY, (200, "application/json"): OpenApiTypes.OBJECT},
)
class TripUpdatesView(CachedReadMixin, generics.GenericAPIView):
    renderer_classes = [ProtobufRenderer, JSONRenderer]
    max_age = 15  # arrivals change every TRANSIT_ARRIVALS_CACHE_SECONDS

    def get(self, request: Request) -> Response:
        message = trip_updates_feed(requested_municipality(request), now=timezone.now())
        if request.accepted_renderer.format == "json":
            return Response(json_format.MessageToDict(message, preserving_proto_field_name=True))
        return Response(message)
