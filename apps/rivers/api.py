"""Rivers under /api/v1/rivers/: each river's walkway state, its stations' water levels now (or
`unknown`) with HRFCO's four alert levels, and each entrance open or closed (read-only, anonymous,
in the OpenAPI schema); and the push endpoints of the city's own level sensors and gate systems (a
token per device).

Answers may be kept by any cache for RiverReadMixin.max_age seconds and carry an ETag; open pages
get changes at once over /ws/rivers/."""

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.common.device_push import (
    DeviceTokenAuthentication,
    ReadingTimeField,
    device_burst_limit,
    json_object_body,
    message_id_field,
)
from apps.common.language import pick_language
from apps.common.openapi import TOO_MANY_REQUESTS, ErrorSerializer
from apps.common.readonly_api import CachedReadMixin
from apps.municipalities.api import MUNICIPALITY_PARAMETER, requested_municipality
from apps.rivers import air, selectors, services
from apps.rivers.models import AlertLevel, GateChange, RiverDevice, WaterLevelReading

NOT_MODIFIED = OpenApiResponse(description="Not modified since the ETag sent in If-None-Match.")
LEVELS = [*AlertLevel.values, selectors.UNKNOWN]


class RiverReadMixin(CachedReadMixin):
    # A walkway closure must reach a kiosk polling this soon: kept no longer than 15 seconds.
    max_age = 15


# --- Answers ------------------------------------------------------------------------------------


class ThresholdsSerializer(serializers.Serializer):
    attention_m = serializers.FloatField(allow_null=True, help_text="관심 (HRFCO attwl).")
    caution_m = serializers.FloatField(allow_null=True, help_text="주의 (HRFCO wrnwl, 주의보).")
    warning_m = serializers.FloatField(allow_null=True, help_text="경계 (HRFCO almwl, 경보).")
    serious_m = serializers.FloatField(allow_null=True, help_text="심각 (HRFCO srswl).")


class StationLiveSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=["live", selectors.UNKNOWN],
        help_text=f"`live`: a reading within {settings.RIVERS_LIVE_SECONDS // 60} minutes; `unknown`: none since "
        "(a stale level is never given as live).",
    )
    water_level_m = serializers.FloatField(allow_null=True, help_text="Null unless live.")
    flow_m3s = serializers.FloatField(allow_null=True, help_text="Null unless live and measured.")
    alert_level = serializers.ChoiceField(choices=LEVELS, help_text="`unknown` unless live.")
    read_at = serializers.DateTimeField(allow_null=True, help_text="When the last level was read, even a stale one.")


class StationSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="HRFCO's station code (wlobscd), or the city's own.")
    name = serializers.CharField()
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)
    thresholds = ThresholdsSerializer(help_text="From HRFCO's station data (waterlevel/info).")
    live = StationLiveSerializer()
    illustrative = serializers.BooleanField(help_text="Demonstration data, not a real gauge's.")


class EntranceSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="The entrance's permanent short code (its place's).")
    name = serializers.CharField()
    latitude = serializers.FloatField()
    longitude = serializers.FloatField()
    has_gate = serializers.BooleanField()
    open = serializers.BooleanField(help_text="False while a closure (walkway, gate or editor) is in force.")
    reason = serializers.CharField(help_text="Why it is closed; empty when open.")


class WalkwaySerializer(serializers.Serializer):
    closed = serializers.BooleanField(help_text="The whole walkway is closed (water level, or staff).")
    since = serializers.DateTimeField(allow_null=True)
    cause = serializers.CharField(help_text="`rule` (the water level) or `staff`; empty when open.")
    reason = serializers.CharField()


class FineDustSerializer(serializers.Serializer):
    station = serializers.CharField(help_text="The AirKorea measuring station nearest the river (stationName).")
    measured_at = serializers.DateTimeField(help_text="The hour AirKorea measured (its dataTime).")
    pm10 = serializers.IntegerField(allow_null=True, help_text="PM10 in µg/m³; null when the station measured none.")
    pm25 = serializers.IntegerField(allow_null=True, help_text="PM2.5 in µg/m³; null when the station measured none.")
    pm10_grade = serializers.IntegerField(
        allow_null=True, help_text="AirKorea's grade: 1 good, 2 moderate, 3 unhealthy, 4 very unhealthy."
    )
    pm25_grade = serializers.IntegerField(allow_null=True)
    pm10_grade_label = serializers.CharField(help_text="The grade in the answer's language; empty without one.")
    pm25_grade_label = serializers.CharField()
    illustrative = serializers.BooleanField(help_text="Demonstration data, not AirKorea's.")


class PointSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="The point's permanent short code (its place's: /t/<code>).")
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=["facility", "ecology", "history"])
    latitude = serializers.FloatField()
    longitude = serializers.FloatField()
    lit = serializers.BooleanField(help_text="Lit by a smart pole at night.")
    url = serializers.CharField(help_text="The point's page in the answer's language.")
    species = serializers.ListField(child=serializers.CharField(), help_text="Species to look for there.")
    model_url = serializers.CharField(allow_null=True, help_text="Its 3D model (GLB), if it has one.")
    model_ios_url = serializers.CharField(
        allow_null=True, help_text="The same model as USDZ, for AR Quick Look on iPhones, if it has one."
    )
    illustrative = serializers.BooleanField(help_text="Demonstration content.")


class RiverSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    url = serializers.CharField(help_text="The river's page in the answer's language.")
    closing_level = serializers.ChoiceField(
        choices=AlertLevel.values[1:], help_text="A station at this level closes the walkway until staff reopen it."
    )
    walkway = WalkwaySerializer()
    stations = StationSerializer(many=True)
    entrances = EntranceSerializer(many=True)
    points = PointSerializer(many=True, help_text="The river's guide points, north to south.")
    air = FineDustSerializer(
        allow_null=True, help_text="Fine dust now at the nearest AirKorea station; null when none is kept."
    )


def _fine_dust_data(reading: air.FineDust | None) -> dict | None:
    if reading is None:
        return None
    return {
        **reading.as_dict(),
        "measured_at": reading.measured_at,
        "pm10_grade_label": air.grade_label(reading.pm10_grade),
        "pm25_grade_label": air.grade_label(reading.pm25_grade),
    }


def river_data(state: selectors.RiverState) -> dict:
    river, walkway = state.river, state.walkway
    return {
        "slug": river.slug,
        "name": river.name,
        "url": river.get_url(),
        "closing_level": river.closing_level,
        "walkway": {
            "closed": walkway is not None,
            "since": walkway.closed_at if walkway else None,
            "cause": walkway.cause if walkway else "",
            "reason": walkway.reason if walkway else "",
        },
        "stations": [
            {
                "code": station.code,
                "name": station.name,
                "latitude": station.latitude,
                "longitude": station.longitude,
                "thresholds": {
                    "attention_m": station.attention_m,
                    "caution_m": station.caution_m,
                    "warning_m": station.warning_m,
                    "serious_m": station.serious_m,
                },
                "live": {
                    "status": live.status,
                    "water_level_m": live.water_level_m,
                    "flow_m3s": live.flow_m3s,
                    "alert_level": live.alert_level,
                    "read_at": live.read_at,
                },
                "illustrative": station.illustrative,
            }
            for station, live in state.stations
        ],
        "entrances": [
            {
                "code": entry.entrance.place.code,
                "name": entry.entrance.name,
                "latitude": entry.entrance.place.latitude,
                "longitude": entry.entrance.place.longitude,
                "has_gate": entry.entrance.has_gate,
                "open": entry.is_open,
                "reason": entry.reason,
            }
            for entry in state.entrances
        ],
        "points": [
            {
                "code": point.place_code,
                "name": point.title,
                "kind": point.kind,
                "latitude": point.latitude,
                "longitude": point.longitude,
                "lit": point.lit,
                "url": point.url,
                "species": [pick_language(block.value["name_ko"], block.value["name_en"]) for block in point.species],
                "model_url": point.model_glb.url if point.model_glb else None,
                "model_ios_url": point.model_usdz.url if point.model_usdz else None,
                "illustrative": point.illustrative,
            }
            for point in selectors.river_points(river)
        ],
        "air": _fine_dust_data(selectors.fine_dust_near(state)),
    }


@extend_schema(
    summary="Rivers with their walkway state, water levels now and entrances",
    parameters=[MUNICIPALITY_PARAMETER],
    responses={200: RiverSerializer(many=True), 304: NOT_MODIFIED},
)
class RiverListView(RiverReadMixin, generics.GenericAPIView):
    """Every river of the city: whether its walkway is closed and why, each station's level now
    (`unknown` after 30 minutes without a reading) with its alert level, and each entrance open or
    closed."""

    serializer_class = RiverSerializer

    def get(self, request: Request) -> Response:
        states = selectors.river_states(selectors.city_rivers(requested_municipality(request)))
        return Response([river_data(state) for state in states])


@extend_schema(
    summary="One river by its slug",
    parameters=[MUNICIPALITY_PARAMETER],
    responses={200: RiverSerializer, 304: NOT_MODIFIED},
)
class RiverDetailView(RiverReadMixin, generics.GenericAPIView):
    serializer_class = RiverSerializer

    def get(self, request: Request, slug: str) -> Response:
        river = selectors.city_rivers(requested_municipality(request)).filter(slug=slug[:40]).first()
        if river is None:
            raise NotFound(_("There is no river %(slug)s.") % {"slug": slug[:40]})
        return Response(river_data(selectors.river_states([river])[0]))


# --- The push endpoints ---------------------------------------------------------------------------


class RiverDeviceAuthentication(DeviceTokenAuthentication):
    scheme_name = "RiverDeviceToken"
    scheme_description = "The token of a level sensor or gate system, shown once when staff add the device."
    realm = "river-devices"

    def devices(self):
        return RiverDevice.objects.select_related("station", "entrance__place", "entrance__river")


class IsLevelSensor(BasePermission):
    def has_permission(self, request, view) -> bool:
        return isinstance(request.auth, RiverDevice) and request.auth.kind == RiverDevice.Kind.LEVEL_SENSOR


class IsGateSystem(BasePermission):
    def has_permission(self, request, view) -> bool:
        return isinstance(request.auth, RiverDevice) and request.auth.kind == RiverDevice.Kind.GATE


class MeasureField(serializers.FloatField):
    """A number as a gauge sends it (or its text); true and false are not a level."""

    def to_internal_value(self, data):
        if isinstance(data, bool):
            self.fail("invalid")
        return super().to_internal_value(data)


class LevelReadingSerializer(serializers.Serializer):
    station = serializers.CharField(max_length=20, help_text="The code of the station the sensor reports for.")
    water_level_m = MeasureField(min_value=-1000, max_value=1000, help_text="Metres, as the gauge reads.")
    flow_m3s = MeasureField(required=False, allow_null=True, min_value=0, max_value=100_000, help_text="m³/s.")
    read_at = ReadingTimeField(help_text="When the sensor read (ISO 8601; without an offset, Seoul time).")
    message_id = message_id_field()


class LevelAnswerSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(
        choices=["applied", "older", "duplicate"],
        help_text="`applied`: now the current level; `older`: read before the current level, kept as history "
        "only; `duplicate`: this message id was received before.",
    )
    alert_level = serializers.ChoiceField(choices=AlertLevel.values, help_text="The station's alert level now.")
    walkway_closed = serializers.BooleanField(help_text="Whether the river's walkway is closed now.")


class GateStateSerializer(serializers.Serializer):
    entrance = serializers.CharField(max_length=8, help_text="The code of the entrance the gate closes.")
    state = serializers.ChoiceField(choices=["open", "closed"])
    at = ReadingTimeField(help_text="When the gate moved (ISO 8601; without an offset, Seoul time).")
    message_id = message_id_field()


class GateAnswerSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(
        choices=["applied", "unchanged", "older", "duplicate"],
        help_text="`older`: timed before the gate's last change, kept as history only.",
    )
    entrance_open = serializers.BooleanField(
        help_text="Whether the entrance is open now: an open gate does not reopen a closed walkway."
    )


class DevicePushView(APIView):
    """What both push endpoints share: the token, a burst limit per device, and a small JSON body."""

    authentication_classes = [RiverDeviceAuthentication]
    parser_classes: list = []  # the body is read by json_object_body, within its size

    def _limited(self, device: RiverDevice) -> None:
        device_burst_limit(scope="rivers-device", device=device, per_minute=settings.RIVERS_DEVICE_PUSHES_PER_MINUTE)


@extend_schema(
    summary="Push a water level (the city's own level sensors)",
    request=LevelReadingSerializer,
    responses={
        201: LevelAnswerSerializer,
        200: LevelAnswerSerializer,
        422: OpenApiResponse(ErrorSerializer, description="An impossible level or time, refused with the reason."),
        429: TOO_MANY_REQUESTS,
    },
)
class LevelReadingView(DevicePushView):
    """One reading of a level sensor, with its token as `Authorization: Bearer <token>`. Idempotent
    by message_id; a reading older than the current level never replaces it; a level outside what a
    gauge can read, or a time in the future or days ago, is refused (422). A level at or above the
    river's closing level closes the walkway at once."""

    permission_classes = [IsLevelSensor]

    def post(self, request: Request) -> Response:
        device: RiverDevice = request.auth
        self._limited(device)
        reading = LevelReadingSerializer(data=json_object_body(request))
        reading.is_valid(raise_exception=True)
        values = reading.validated_data
        station = device.station
        if values["station"] != station.code:
            raise exceptions.PermissionDenied(
                _("This sensor reports for station %(code)s only.") % {"code": station.code}
            )
        try:
            result = services.water_level_reading_apply(
                station,
                water_level_m=values["water_level_m"],
                flow_m3s=values.get("flow_m3s"),
                read_at=values["read_at"],
                source=WaterLevelReading.Source.SENSOR,
                message_id=values["message_id"],
                device=device,
            )
        except services.Refused as refusal:
            return Response({"detail": str(refusal)}, status=status.HTTP_422_UNPROCESSABLE_ENTITY)
        station.refresh_from_db(fields=["alert_level"])
        answer = {
            "outcome": result.outcome,
            "alert_level": station.alert_level,
            "walkway_closed": station.river.closures.filter(reopened_at__isnull=True).exists(),
        }
        code = status.HTTP_201_CREATED if result.outcome == "applied" else status.HTTP_200_OK
        return Response(LevelAnswerSerializer(answer).data, status=code)


@extend_schema(
    summary="Push a gate state (the city's gate systems)",
    request=GateStateSerializer,
    responses={
        201: GateAnswerSerializer,
        200: GateAnswerSerializer,
        422: OpenApiResponse(ErrorSerializer, description="A time in the future or days ago, refused."),
        429: TOO_MANY_REQUESTS,
    },
)
class GateStateView(DevicePushView):
    """The state of one entrance's gate, with the gate system's token. Idempotent by message_id; a
    message timed before the gate's last change is kept but not applied. A closed gate closes the
    entrance; an open one never reopens a walkway closed by the water level or by staff."""

    permission_classes = [IsGateSystem]

    def post(self, request: Request) -> Response:
        device: RiverDevice = request.auth
        self._limited(device)
        message = GateStateSerializer(data=json_object_body(request))
        message.is_valid(raise_exception=True)
        values = message.validated_data
        entrance = device.entrance
        if values["entrance"].upper() != entrance.place.code:
            raise exceptions.PermissionDenied(
                _("This gate system reports for entrance %(code)s only.") % {"code": entrance.place.code}
            )
        try:
            result = services.gate_state_set(
                entrance,
                closed=values["state"] == "closed",
                at=values["at"],
                source=GateChange.Source.GATE,
                message_id=values["message_id"],
                device=device,
            )
        except services.Refused as refusal:
            return Response({"detail": str(refusal)}, status=status.HTTP_422_UNPROCESSABLE_ENTITY)
        state = selectors.river_states([entrance.river])[0]
        is_open = next((entry.is_open for entry in state.entrances if entry.entrance.pk == entrance.pk), False)
        answer = {"outcome": result.outcome, "entrance_open": is_open}
        code = status.HTTP_201_CREATED if result.outcome == "applied" else status.HTTP_200_OK
        return Response(GateAnswerSerializer(answer).data, status=code)
