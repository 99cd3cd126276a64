import copy
import logging
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone, translation
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, generics, serializers, status
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.common.client import AnonClientRateThrottle
from apps.common.masking import mask_personal_data
from apps.common.openapi import TOO_MANY_REQUESTS
from apps.common.ratelimit import Limit, client_id, subject_limit_forget, subject_limit_hit
from apps.complaints import lookups, selectors, services, signals, triage
from apps.complaints.models import ApiClient, Category, Complaint
from apps.complaints.photos import MAX_PHOTOS
from apps.complaints.selectors import category_list
from apps.municipalities.api import MUNICIPALITY_PARAMETER, requested_municipality
from apps.municipalities.selectors import dong_in_text

logger = logging.getLogger(__name__)


class CategorySerializer(serializers.ModelSerializer):
    department = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Category
        fields = [
            "code",
            "name_ko",
            "name_en",
            "department",
            "kind",
            "processing_days",
            "needs_location",
            "public_by_default",
        ]


@extend_schema(parameters=[MUNICIPALITY_PARAMETER], summary="Complaint categories and where they are routed")
class CategoryListView(generics.ListAPIView):
    serializer_class = CategorySerializer
    pagination_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator asks only for the model
            return Category.objects.none()
        return category_list(municipality=requested_municipality(self.request))


# --- Triage -----------------------------------------------------------------------------------


class TriageThrottle(AnonClientRateThrottle):
    rate = "60/minute"


class TriageRequestSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=services.DESCRIPTION_MAX_LENGTH, trim_whitespace=True)


@extend_schema(
    request=TriageRequestSerializer,
    responses=inline_serializer(
        "TriageResult",
        {
            "category": serializers.CharField(),
            "department": serializers.CharField(),
            "confidence": serializers.FloatField(min_value=0, max_value=1),
            "alternatives": serializers.ListField(child=serializers.DictField()),
            "source": serializers.ChoiceField(
                choices=[triage.MODEL, triage.BASELINE],
                help_text="`model`: the chatbot's trained model; `baseline`: text similarity, used while "
                "the bot is unreachable, fails or is unsure",
            ),
        },
    ),
    parameters=[MUNICIPALITY_PARAMETER],
    summary="Suggest the category and department for a description in the resident's own words",
)
class TriageView(APIView):
    """The chatbot's model ranks the city's active categories (a text-similarity baseline when the
    bot cannot answer); `other` (the triage desk) when nothing matches."""

    throttle_classes = [TriageThrottle]
    authentication_classes: list = []

    def post(self, request):
        payload = TriageRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        municipality = requested_municipality(request)
        categories = list(category_list(municipality=municipality).prefetch_related("questions"))
        result = triage.suggest(payload.validated_data["text"], categories)
        if not result.suggestions:
            fallback = next(category for category in categories if category.code == "other")
            return Response(
                {
                    "category": "other",
                    "department": fallback.department.code,
                    "confidence": 0.0,
                    "alternatives": [],
                    "source": result.source,
                }
            )
        best, *others = result.suggestions
        return Response(
            {
                "category": best.category.code,
                "department": best.category.department.code,
                "confidence": best.confidence,
                "alternatives": [{"category": s.category.code, "confidence": s.confidence} for s in others[:2]],
                "source": result.source,
            }
        )


# --- Cases ------------------------------------------------------------------------------------


class ApiClientAuthentication(BaseAuthentication):
    """`Authorization: Token <key>` with a key from `manage.py create_api_client`."""

    keyword = b"token"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Authorization: Token <key>")
        client = services.api_client_for_key(parts[1].decode(errors="ignore"))
        if client is None:
            raise exceptions.AuthenticationFailed("Unknown or inactive key.")
        return AnonymousUser(), client

    def authenticate_header(self, request):
        return "Token"


class ApiClientTokenScheme(OpenApiAuthenticationExtension):
    """Documents ApiClientAuthentication in the OpenAPI schema (registered by being defined)."""

    target_class = ApiClientAuthentication
    name = "ApiClientToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <key>`, a key made with `manage.py create_api_client`.",
        }


class IsApiClient(BasePermission):
    def has_permission(self, request, view):
        return isinstance(request.auth, ApiClient)


class ContactSerializer(serializers.Serializer):
    """Sent only once the resident agreed to the purpose the city registered for this client: the
    details are kept with that purpose, and not kept at all for a client registered without one."""

    name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    email = serializers.EmailField(required=False, allow_blank=True, default="")


class ComplaintCreateSerializer(serializers.Serializer):
    category = serializers.SlugField()
    description = serializers.CharField(max_length=services.DESCRIPTION_MAX_LENGTH)
    latitude = serializers.FloatField(required=False, allow_null=True, default=None)
    longitude = serializers.FloatField(required=False, allow_null=True, default=None)
    address = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    attributes = serializers.DictField(
        required=False,
        default=dict,
        help_text="Answers to the category's questions by code (see the Open311 service definition); "
        "required ones must be answered, choices given by their keys.",
    )
    language = serializers.ChoiceField(choices=["ko", "en", "zh-hans", "ja"], default="ko")
    channel = serializers.ChoiceField(choices=Complaint.Channel.choices, default=Complaint.Channel.API)
    contact = ContactSerializer(
        required=False,
        allow_null=True,
        default=None,
        help_text="Only with the resident's consent to the purpose this client is registered with.",
    )
    dong = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    photos = serializers.ListField(
        child=serializers.UUIDField(format="hex_verbose"),
        required=False,
        default=list,
        max_length=MAX_PHOTOS,
        help_text="Ids of photos this client uploaded to /api/v1/complaints/photos/.",
    )
    conversation = serializers.UUIDField(
        required=False,
        allow_null=True,
        default=None,
        help_text="The chatbot only: the chat conversation (Rasa's sender id) the case was reported in. "
        "If the bot cannot announce the case there, the portal does. Ignored from other clients.",
    )

    def get_fields(self) -> dict[str, serializers.Field]:
        # DRF deep-copies the declared fields for every instance, rebuilding each from its arguments:
        # a fifth of a filing's work in the web process. A shallow copy is enough here: each copy is
        # bound to this request's serializer (its own name, parent and context), and the declared
        # fields themselves are never bound, so no request sees another's. What the copies share
        # (arguments, messages, a list's child field) is only read while validating.
        return {name: copy.copy(field) for name, field in self._declared_fields.items()}


class EventSerializer(serializers.Serializer):
    kind = serializers.CharField()
    status = serializers.CharField(source="to_status")
    message = serializers.CharField()
    at = serializers.DateTimeField(source="created_at")


class ComplaintStatusSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(slug_field="code", read_only=True)
    department = serializers.SlugRelatedField(slug_field="code", read_only=True)
    timeline = EventSerializer(source="events", many=True, read_only=True)

    class Meta:
        model = Complaint
        fields = ["number", "status", "category", "department", "received_at", "due_date", "answered_at", "timeline"]


def tracking_url(case: Complaint, token: str) -> str:
    """The reporter's private link, in the language they wrote in, at the portal's public address."""
    with translation.override(case.language):
        path = reverse("complaints:track-case", args=[case.number])
    return f"{settings.SITE_URL.rstrip('/')}{path}?{urlencode({'token': token})}"


class ComplaintCreateView(APIView):
    """Files a case for a trusted client (the chatbot, a partner app)."""

    authentication_classes = [ApiClientAuthentication]
    permission_classes = [IsApiClient]

    @extend_schema(
        request=ComplaintCreateSerializer,
        responses={
            201: inline_serializer(
                "ComplaintCreated",
                {
                    "number": serializers.CharField(),
                    "tracking_token": serializers.CharField(),
                    "tracking_url": serializers.URLField(
                        help_text="The reporter's private tracking page, in the language of the case."
                    ),
                    "due_date": serializers.DateField(),
                    "status": serializers.CharField(),
                },
            )
        },
        summary="File a complaint (API key required)",
    )
    def post(self, request):
        payload = ComplaintCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        category = lookups.category_for_filing(municipality=request.auth.municipality, code=data["category"])
        if category is None:
            raise exceptions.ValidationError({"category": [f"Unknown category {data['category']!r}."]})
        contact = services.Contact(**data["contact"], consented=True) if data["contact"] else None
        try:
            submission = services.complaint_submit(
                category=category,
                description=data["description"],
                channel=data["channel"],
                language=data["language"],
                latitude=data["latitude"],
                longitude=data["longitude"],
                address=data["address"],
                attributes=data["attributes"],
                contact=contact,
                dong=data["dong"],
                photo_ids=[str(photo) for photo in data["photos"]],
                client=request.auth,
            )
        except services.ComplaintError as error:
            raise exceptions.ValidationError({"detail": error.messages, "code": error.code}) from None
        case = submission.complaint
        link = tracking_url(case, submission.tracking_token)
        if data["conversation"]:
            # The case is filed whatever a listener does: its failure is logged, not answered.
            for _receiver, outcome in signals.case_filed_in_conversation.send_robust(
                sender=ComplaintCreateView,
                client=request.auth,
                complaint=case,
                tracking_url=link,
                conversation=data["conversation"],
            ):
                if isinstance(outcome, Exception):
                    logger.error("the chat was not told of case %s", case.number, exc_info=outcome)
        return Response(
            {
                "number": case.number,
                "tracking_token": submission.tracking_token,
                "tracking_url": link,
                "due_date": case.due_date,
                "status": case.status,
            },
            status=status.HTTP_201_CREATED,
        )


class PhotoUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="A JPEG, PNG, WebP or GIF picture up to 10 MB.")


class PhotoUploadView(APIView):
    """A photo for a case the client is about to file; pass its id in `photos` when filing.
    Stored without its EXIF (GPS included); deleted after a day if no case takes it."""

    authentication_classes = [ApiClientAuthentication]
    permission_classes = [IsApiClient]
    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": PhotoUploadSerializer},
        responses={201: inline_serializer("PhotoUploaded", {"id": serializers.UUIDField()})},
        summary="Upload a photo ahead of filing (API key required)",
    )
    def post(self, request):
        payload = PhotoUploadSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            photo = services.photo_upload(client=request.auth, upload=payload.validated_data["file"])
        except services.ComplaintError as error:
            raise exceptions.ValidationError({"file": error.messages, "code": error.code}) from None
        return Response({"id": photo.uuid}, status=status.HTTP_201_CREATED)


@extend_schema(
    parameters=[OpenApiParameter("token", str, required=True, description="The tracking token given at filing.")],
    summary="A case's status and public timeline, for whoever holds its tracking token",
)
class ComplaintStatusView(generics.RetrieveAPIView):
    serializer_class = ComplaintStatusSerializer
    authentication_classes: list = []

    def get_object(self):
        case = selectors.complaint_get_for_reporter(
            municipality=requested_municipality(self.request),
            number=self.kwargs["number"],
            token=self.request.query_params.get("token", ""),
        )
        if case is None:
            raise exceptions.NotFound("No case with this number and token.")
        return case


class NearbyQuerySerializer(serializers.Serializer):
    category = serializers.SlugField()
    latitude = serializers.FloatField(min_value=-90, max_value=90, required=False)
    longitude = serializers.FloatField(min_value=-180, max_value=180, required=False)
    address = serializers.CharField(
        max_length=300,
        required=False,
        help_text="Without coordinates: an address or place name; cases of the 행정동 it names are compared.",
    )

    def validate(self, data: dict) -> dict:
        if ("latitude" in data) != ("longitude" in data):
            raise serializers.ValidationError("Give both latitude and longitude.")
        if "latitude" not in data and not data.get("address", "").strip():
            raise serializers.ValidationError("Give latitude and longitude, or an address.")
        return data


NEARBY_SCOPE = "complaint-nearby"
# A resident moving the pin or changing the category asks a few times a minute; many more answers
# would let a client walk around a case and narrow down where it is.
NEARBY_LIMITS = (Limit(count=30, seconds=60), Limit(count=300, seconds=24 * 60 * 60))
# An API client (the chatbot) asks for all the residents it talks to, so it has its own, larger budget.
NEARBY_CLIENT_LIMITS = (Limit(count=300, seconds=60),)


def nearby_limit_wait(request: Request) -> int:
    """Check and count this request against the nearby limits: per API client when it sends its key,
    else per client address. Seconds to wait, 0 when it may go on."""
    if isinstance(request.auth, ApiClient):
        return subject_limit_hit(scope=NEARBY_SCOPE, subject=f"client-{request.auth.pk}", limits=NEARBY_CLIENT_LIMITS)
    return subject_limit_hit(scope=NEARBY_SCOPE, subject=client_id(request), limits=NEARBY_LIMITS)


@extend_schema(
    parameters=[NearbyQuerySerializer, MUNICIPALITY_PARAMETER],
    responses={
        200: inline_serializer(
            "SimilarCase",
            {
                "number": serializers.CharField(),
                "status": serializers.CharField(),
                "received_at": serializers.DateTimeField(),
                "distance_m": serializers.IntegerField(
                    allow_null=True,
                    help_text=f'Rounded up to the next {selectors.PUBLIC_DISTANCE_STEP_M} m ("within"); '
                    "null when matched by 행정동.",
                ),
                "dong": serializers.CharField(),
                "description": serializers.CharField(help_text="What the resident wrote, personal data masked."),
            },
            many=True,
        ),
        429: None,
    },
    summary="Open cases of a published category from the last 14 days within 50 m, or in the 행정동 an address names",
)
class NearbyView(APIView):
    """With coordinates: open cases within 50 m, nearest first. With an address instead (the chatbot
    asks residents to type one): the newest open cases of the 행정동 the address names, none when it
    names none. Only categories the city publishes have any (the same cases as the public map);
    distances are rounded up to 50 m, and each client may ask only so often: the answers cannot be
    combined into a case's exact place. An API key is optional and gives the client its own limit."""

    authentication_classes = [ApiClientAuthentication]

    def get(self, request):
        if wait := nearby_limit_wait(request):
            raise exceptions.Throttled(wait=wait)
        query = NearbyQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        municipality = requested_municipality(request)
        category = category_list(municipality=municipality).filter(code=data["category"]).first()
        if category is None:
            raise exceptions.NotFound("Unknown category.")
        if "latitude" in data:
            similar = selectors.complaint_list_similar_public(
                category=category, latitude=data["latitude"], longitude=data["longitude"]
            )
        else:
            dong = dong_in_text(municipality=municipality, text=data["address"])
            cases = (
                selectors.complaint_list_similar_public_in_dong(category=category, dong=dong.name_ko) if dong else []
            )
            similar = [(case, None) for case in cases]
        return Response(
            [
                {
                    "number": case.number,
                    "status": case.status,
                    "received_at": timezone.localtime(case.received_at),
                    "distance_m": distance,
                    "dong": case.dong,
                    "description": mask_personal_data(case.description),
                }
                for case, distance in similar
            ]
        )


# --- Status by phone, for the chatbot ---------------------------------------------------------

PHONE_CHECK_SCOPE = "complaint-phone-check"
# Four digits are 10,000 guesses: five wrong ones an hour per case make guessing hopeless.
PHONE_CHECK_LIMITS = (Limit(count=5, seconds=60 * 60),)


class IsChatbotClient(BasePermission):
    """Only a client given the capability (the chatbot's, by `manage.py prepare`): it asks residents
    for the digits inside a conversation. Never by name: any admin may name a client."""

    def has_permission(self, request, view):
        return isinstance(request.auth, ApiClient) and request.auth.can_look_up_by_phone


class PhoneCheckSerializer(serializers.Serializer):
    phone_last_digits = serializers.RegexField(
        r"^[0-9]{4}$", help_text="The last four digits of the phone number left with the case."
    )


@extend_schema(
    request=PhoneCheckSerializer,
    responses={200: ComplaintStatusSerializer, 429: TOO_MANY_REQUESTS},
    summary="A case's status for the reporter who gives the last four digits of their phone (chatbot key only)",
)
class ComplaintStatusByPhoneView(APIView):
    """The chatbot's way to show a case to its reporter when they have no tracking link. The same 404
    for a wrong number and wrong digits, and after five wrong tries in an hour a case answers 429 to
    everyone, right digits included, until the hour is over."""

    authentication_classes = [ApiClientAuthentication]
    permission_classes = [IsChatbotClient]

    def post(self, request, number: str):
        payload = PhoneCheckSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        municipality = request.auth.municipality
        # Counted per case number, existing or not, so the answers tell nothing about which exist.
        subject = f"{municipality.code}:{number}"
        # Every try is counted before the lookup, so simultaneous guesses cannot all slip through;
        # the right digits are then taken back: a reporter may look as often as they like.
        wait = subject_limit_hit(scope=PHONE_CHECK_SCOPE, subject=subject, limits=PHONE_CHECK_LIMITS)
        if wait:
            raise exceptions.Throttled(wait=wait, detail="Too many wrong tries for this case; try again later.")
        case = selectors.complaint_get_for_phone_digits(
            municipality=municipality, number=number, last_digits=payload.validated_data["phone_last_digits"]
        )
        if case is None:
            raise exceptions.NotFound("No case with this number and phone.")
        subject_limit_forget(scope=PHONE_CHECK_SCOPE, subject=subject, limits=PHONE_CHECK_LIMITS)
        return Response(ComplaintStatusSerializer(case).data)
