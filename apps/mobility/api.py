"""Car parks and their free spaces under /api/v1/mobility/, for private apps, kiosks and the
chatbot (read-only, anonymous, in the OpenAPI schema), and the push endpoint for sensors and gate
systems (a token per device).

Lists may be kept by any cache for 30 seconds (CachedReadMixin.max_age) and carry an ETag: a kiosk polling them gets a
304 while nothing changed."""

from django.conf import settings
from django.utils import timezone
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
from apps.common.openapi import TOO_MANY_REQUESTS, ErrorSerializer
from apps.common.readonly_api import CachedReadMixin, near_parameter
from apps.mobility import selectors, services
from apps.mobility.models import CarPark, OccupancyReading, SensorDevice
from apps.municipalities.api import MUNICIPALITY_PARAMETER, requested_municipality

# Free spaces change by the minute: a cache may keep an answer half a minute.
MAX_RADIUS_M = 20_000
DEFAULT_RADIUS_M = 3_000
NOT_MODIFIED = OpenApiResponse(description="Not modified since the ETag sent in If-None-Match.")


# --- Query parameters ---------------------------------------------------------------------------


class CarParkQuerySerializer(serializers.Serializer):
    near = serializers.CharField(
        required=False,
        max_length=60,
        help_text="`latitude,longitude` (WGS 84): only car parks within radius_m, nearest first, with distance_m.",
    )
    radius_m = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_RADIUS_M, default=DEFAULT_RADIUS_M, help_text="With near."
    )
    open_now = serializers.BooleanField(required=False, default=False, help_text="Only car parks open now.")
    has_space = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Only open car parks with a live count above zero (an unknown count is not promised).",
    )
    ev = serializers.BooleanField(required=False, default=False, help_text="Only car parks with EV charging bays.")
    accessible = serializers.BooleanField(required=False, default=False, help_text="Only with accessible bays.")
    free = serializers.BooleanField(required=False, default=False, help_text="Only car parks free of charge.")

    def validate_near(self, value: str) -> tuple[float, float]:
        return near_parameter(value)


# --- Answers ------------------------------------------------------------------------------------


class LiveSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=list(selectors.LiveStatus),
        help_text=f"`live`: a reading within {settings.MOBILITY_LIVE_SECONDS // 60} minutes; `unknown`: none "
        "since (a stale count is never given as live).",
    )
    free_spaces = serializers.IntegerField(allow_null=True, help_text="Null unless live.")
    read_at = serializers.DateTimeField(allow_null=True, help_text="When the last count was read, even a stale one.")


class HoursSerializer(serializers.Serializer):
    opens = serializers.TimeField(allow_null=True)
    closes = serializers.TimeField(allow_null=True, help_text="23:59 means until midnight. Both null: closed.")


class FeesSerializer(serializers.Serializer):
    is_free = serializers.BooleanField()
    base_minutes = serializers.IntegerField(allow_null=True)
    base_fee = serializers.IntegerField(allow_null=True, help_text="₩ for the base time.")
    extra_unit_minutes = serializers.IntegerField(allow_null=True)
    extra_unit_fee = serializers.IntegerField(allow_null=True, help_text="₩ per started extra unit.")
    daily_max_fee = serializers.IntegerField(allow_null=True, help_text="₩: the day pass, and the most a day costs.")
    monthly_pass_fee = serializers.IntegerField(allow_null=True)
    discounts = serializers.DictField(
        child=serializers.IntegerField(), help_text="Percent by entitlement: ev, compact, disabled, merit, multichild."
    )
    payment_methods = serializers.CharField()


class CarParkSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="The car park's permanent short code (its place's).")
    stable_id = serializers.CharField(help_text="주차장관리번호 of the national standard file, else <source>:<id>.")
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=CarPark.Kind.values)
    address = serializers.CharField()
    latitude = serializers.FloatField()
    longitude = serializers.FloatField()
    spaces_total = serializers.IntegerField()
    spaces_accessible = serializers.IntegerField(allow_null=True)
    spaces_ev = serializers.IntegerField(allow_null=True)
    has_accessible_bays = serializers.BooleanField()
    live = LiveSerializer()
    is_open = serializers.BooleanField(help_text="Open now by its hours and not closed by an event.")
    closed_by_event = serializers.BooleanField()
    closed_reason = serializers.CharField()
    hours = serializers.DictField(child=HoursSerializer(), help_text="By day type: weekday, saturday, holiday.")
    fees = FeesSerializer()
    operator = serializers.CharField()
    phone = serializers.CharField()
    distance_m = serializers.FloatField(allow_null=True, help_text="With near: metres from that point.")


def car_park_data(entry: selectors.CarParkEntry) -> dict:
    car_park = entry.car_park
    return {
        "code": car_park.place.code,
        "stable_id": car_park.stable_id,
        "name": car_park.name,
        "kind": car_park.kind,
        "address": car_park.address_road or car_park.address_lot,
        "latitude": car_park.place.latitude,
        "longitude": car_park.place.longitude,
        "spaces_total": car_park.spaces_total,
        "spaces_accessible": car_park.spaces_accessible,
        "spaces_ev": car_park.spaces_ev,
        "has_accessible_bays": car_park.has_accessible_bays,
        "live": {
            "status": entry.live.status,
            "free_spaces": entry.live.free_spaces,
            "read_at": entry.live.read_at,
        },
        "is_open": entry.is_open,
        "closed_by_event": car_park.closed_by_event,
        "closed_reason": car_park.closed_reason,
        "hours": {
            kind: {"opens": getattr(car_park, f"{kind}_opens"), "closes": getattr(car_park, f"{kind}_closes")}
            for kind in ("weekday", "saturday", "holiday")
        },
        "fees": {
            **{
                name: getattr(car_park, name)
                for name in (
                    "is_free",
                    "base_minutes",
                    "base_fee",
                    "extra_unit_minutes",
                    "extra_unit_fee",
                    "daily_max_fee",
                    "monthly_pass_fee",
                    "payment_methods",
                )
            },
            "discounts": {
                name: getattr(car_park, f"discount_{name}")
                for name in ("ev", "compact", "disabled", "merit", "multichild")
            },
        },
        "operator": car_park.operator,
        "phone": car_park.phone,
        "distance_m": round(entry.distance_m, 1) if entry.distance_m is not None else None,
    }


@extend_schema(
    summary="Car parks with free spaces now, hours and fees",
    parameters=[MUNICIPALITY_PARAMETER, CarParkQuerySerializer],
    responses={200: CarParkSerializer(many=True), 304: NOT_MODIFIED},
)
class CarParkListView(CachedReadMixin, generics.GenericAPIView):
    """Every car park of the city (by name; nearest first with `near`) with its free spaces now or
    `unknown`, whether it is open, its hours by day type and its fee rule. Filters combine."""

    serializer_class = CarParkSerializer

    def get(self, request: Request) -> Response:
        query = CarParkQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        filters = selectors.CarParkFilters(**query.validated_data)
        entries = selectors.car_park_entries(requested_municipality(request), filters)
        return Response([car_park_data(entry) for entry in entries])


@extend_schema(
    summary="One car park by its code",
    parameters=[MUNICIPALITY_PARAMETER],
    responses={200: CarParkSerializer, 304: NOT_MODIFIED},
)
class CarParkDetailView(CachedReadMixin, generics.GenericAPIView):
    serializer_class = CarParkSerializer

    def get(self, request: Request, code: str) -> Response:
        car_park = (
            selectors.city_car_parks(requested_municipality(request)).filter(place__code=code.upper()[:8]).first()
        )
        if car_park is None:
            raise NotFound(_("There is no car park %(code)s.") % {"code": code[:20]})
        return Response(car_park_data(selectors.car_park_entry(car_park, now=timezone.now())))


class KotsaRealtimeItemSerializer(serializers.Serializer):
    prk_center_id = serializers.CharField(help_text="Our stable id (주차장관리번호), not KOTSA's.")
    prk_plce_nm = serializers.CharField()
    pkfc_ParkingLots_total = serializers.CharField()
    pkfc_Available_ParkingLots_total = serializers.CharField(help_text="Empty when the count is not live.")
    read_at = serializers.DateTimeField(allow_null=True, help_text="Ours, beyond KOTSA's shape: the reading time.")


class KotsaRealtimeSerializer(serializers.Serializer):
    resultCode = serializers.CharField()  # noqa: N815 (KOTSA's names)
    resultMsg = serializers.CharField()  # noqa: N815
    totalCount = serializers.CharField()  # noqa: N815
    PrkRealtimeInfo = KotsaRealtimeItemSerializer(many=True)  # noqa: N815


@extend_schema(
    summary="Free spaces now in the KOTSA PrkRealtimeInfo shape",
    parameters=[MUNICIPALITY_PARAMETER],
    responses={200: KotsaRealtimeSerializer, 304: NOT_MODIFIED},
)
class KotsaRealtimeFeedView(CachedReadMixin, generics.GenericAPIView):
    """The city's car parks as 한국교통안전공단's realtime parking API answers (format=2): an app
    that reads KOTSA's PrkRealtimeInfo reads this unchanged. Values are text, as KOTSA sends them."""

    serializer_class = KotsaRealtimeSerializer

    def get(self, request: Request) -> Response:
        entries = selectors.car_park_entries(requested_municipality(request))
        items = [
            {
                "prk_center_id": entry.car_park.stable_id,
                "prk_plce_nm": entry.car_park.name_ko,
                "pkfc_ParkingLots_total": str(entry.car_park.spaces_total),
                "pkfc_Available_ParkingLots_total": ""
                if entry.live.free_spaces is None
                else str(entry.live.free_spaces),
                "read_at": entry.live.read_at if entry.live.free_spaces is not None else None,
            }
            for entry in entries
        ]
        return Response(
            KotsaRealtimeSerializer(
                {"resultCode": "0", "resultMsg": "SUCCESS", "totalCount": str(len(items)), "PrkRealtimeInfo": items}
            ).data
        )


# --- The push endpoint --------------------------------------------------------------------------


class SensorDeviceAuthentication(DeviceTokenAuthentication):
    scheme_name = "SensorDeviceToken"
    scheme_description = "The token of a sensor device, shown once when staff add the device."
    realm = "sensors"

    def devices(self):
        return SensorDevice.objects.select_related("car_park__place")


class IsSensorDevice(BasePermission):
    def has_permission(self, request, view) -> bool:
        return isinstance(request.auth, SensorDevice)


class SensorReadingSerializer(serializers.Serializer):
    car_park = serializers.CharField(max_length=8, help_text="The code of the car park the device reports for.")
    free_spaces = serializers.IntegerField(min_value=-100_000, max_value=100_000)
    read_at = ReadingTimeField(help_text="When the device counted (ISO 8601; without an offset, Seoul time).")
    message_id = message_id_field()


class ReadingAnswerSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(
        choices=["applied", "older", "duplicate"],
        help_text="`applied`: now the current count; `older`: read before the current count, kept as history "
        "only; `duplicate`: this message id was received before.",
    )
    free_spaces = serializers.IntegerField(allow_null=True, help_text="The car park's current count.")
    read_at = serializers.DateTimeField(allow_null=True, help_text="The current count's reading time.")


@extend_schema(
    summary="Push a count of free spaces (sensors and gate systems)",
    request=SensorReadingSerializer,
    responses={
        201: ReadingAnswerSerializer,
        200: ReadingAnswerSerializer,
        422: OpenApiResponse(ErrorSerializer, description="An implausible count, refused with the reason."),
        429: TOO_MANY_REQUESTS,
    },
)
class SensorReadingView(APIView):
    """One reading of a device, with its token as `Authorization: Bearer <token>`. Idempotent by
    message_id; a reading older than the current count never replaces it; an impossible count
    (negative, more than the car park's spaces, a jump the gates cannot pass) is refused (422)."""

    authentication_classes = [SensorDeviceAuthentication]
    permission_classes = [IsSensorDevice]
    parser_classes: list = []  # the body is read by json_object_body, within its size

    def post(self, request: Request) -> Response:
        device: SensorDevice = request.auth
        device_burst_limit(
            scope="mobility-sensor", device=device, per_minute=settings.MOBILITY_SENSOR_PUSHES_PER_MINUTE
        )
        reading = SensorReadingSerializer(data=json_object_body(request))
        reading.is_valid(raise_exception=True)
        values = reading.validated_data
        car_park = device.car_park
        if values["car_park"].upper() != car_park.place.code:
            raise exceptions.PermissionDenied(
                _("This device reports for car park %(code)s only.") % {"code": car_park.place.code}
            )
        try:
            result = services.occupancy_reading_apply(
                car_park,
                free_spaces=values["free_spaces"],
                read_at=values["read_at"],
                source=OccupancyReading.Source.SENSOR,
                message_id=values["message_id"],
                device=device,
            )
        except services.ReadingRefused as refusal:
            return Response({"detail": str(refusal)}, status=status.HTTP_422_UNPROCESSABLE_ENTITY)
        car_park.refresh_from_db(fields=["free_spaces", "free_spaces_read_at"])
        answer = {
            "outcome": result.outcome,
            "free_spaces": car_park.free_spaces,
            "read_at": car_park.free_spaces_read_at,
        }
        code = status.HTTP_201_CREATED if result.outcome == "applied" else status.HTTP_200_OK
        return Response(ReadingAnswerSerializer(answer).data, status=code)
