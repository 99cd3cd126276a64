from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, generics, serializers, status
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from apps.complaints import selectors, services, triage
from apps.complaints.masking import mask_personal_data
from apps.complaints.models import ApiClient, Category, Complaint
from apps.complaints.photos import MAX_PHOTOS
from apps.complaints.selectors import category_list
from apps.municipalities.api import MUNICIPALITY_PARAMETER, requested_municipality
from portal import api_schema  # noqa: F401  (documents ApiClientAuthentication in the schema)


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
        return category_list(municipality=requested_municipality(self.request))


# --- Triage -----------------------------------------------------------------------------------


class TriageThrottle(AnonRateThrottle):
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
        },
    ),
    parameters=[MUNICIPALITY_PARAMETER],
    summary="Suggest the category and department for a description in the resident's own words",
)
class TriageView(APIView):
    """A text-similarity baseline over the city's categories; `other` (the triage desk) when
    nothing matches."""

    throttle_classes = [TriageThrottle]
    authentication_classes: list = []

    def post(self, request):
        payload = TriageRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        municipality = requested_municipality(request)
        categories = list(category_list(municipality=municipality).prefetch_related("questions"))
        ranked = triage.suggest(payload.validated_data["text"], categories)
        if not ranked:
            fallback = next(category for category in categories if category.code == "other")
            return Response(
                {"category": "other", "department": fallback.department.code, "confidence": 0.0, "alternatives": []}
            )
        best, *others = ranked
        return Response(
            {
                "category": best.category.code,
                "department": best.category.department.code,
                "confidence": best.confidence,
                "alternatives": [{"category": s.category.code, "confidence": s.confidence} for s in others[:2]],
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


class IsApiClient(BasePermission):
    def has_permission(self, request, view):
        return isinstance(request.auth, ApiClient)


class ContactSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    consent_purpose = serializers.CharField(
        max_length=300, help_text="The purpose the resident was shown and agreed to."
    )


class ComplaintCreateSerializer(serializers.Serializer):
    category = serializers.SlugField()
    description = serializers.CharField(max_length=services.DESCRIPTION_MAX_LENGTH)
    latitude = serializers.FloatField(required=False, allow_null=True, default=None)
    longitude = serializers.FloatField(required=False, allow_null=True, default=None)
    address = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    attributes = serializers.DictField(required=False, default=dict)
    language = serializers.ChoiceField(choices=["ko", "en", "zh-hans", "ja"], default="ko")
    channel = serializers.ChoiceField(choices=Complaint.Channel.choices, default=Complaint.Channel.API)
    contact = ContactSerializer(required=False, allow_null=True, default=None)
    dong = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    photos = serializers.ListField(
        child=serializers.UUIDField(format="hex_verbose"),
        required=False,
        default=list,
        max_length=MAX_PHOTOS,
        help_text="Ids of photos this client uploaded to /api/v1/complaints/photos/.",
    )


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
        category = category_list(municipality=request.auth.municipality).filter(code=data["category"]).first()
        if category is None:
            raise exceptions.ValidationError({"category": [f"Unknown category {data['category']!r}."]})
        contact = services.Contact(**data["contact"]) if data["contact"] else None
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
                uploaded_by=request.auth,
            )
        except services.ComplaintError as error:
            raise exceptions.ValidationError({"detail": error.messages, "code": error.code}) from None
        case = submission.complaint
        return Response(
            {
                "number": case.number,
                "tracking_token": submission.tracking_token,
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
    latitude = serializers.FloatField(min_value=-90, max_value=90)
    longitude = serializers.FloatField(min_value=-180, max_value=180)


@extend_schema(
    parameters=[NearbyQuerySerializer, MUNICIPALITY_PARAMETER],
    responses=inline_serializer(
        "SimilarCase",
        {
            "number": serializers.CharField(),
            "status": serializers.CharField(),
            "received_at": serializers.DateTimeField(),
            "distance_m": serializers.IntegerField(),
            "description": serializers.CharField(allow_null=True),
        },
        many=True,
    ),
    summary="Open cases of the same category within 50 m from the last 14 days",
)
class NearbyView(APIView):
    authentication_classes: list = []

    def get(self, request):
        query = NearbyQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        municipality = requested_municipality(request)
        category = category_list(municipality=municipality).filter(code=query.validated_data["category"]).first()
        if category is None:
            raise exceptions.NotFound("Unknown category.")
        similar = selectors.complaint_list_similar_open(
            category=category,
            latitude=query.validated_data["latitude"],
            longitude=query.validated_data["longitude"],
        )
        return Response(
            [
                {
                    "number": case.number,
                    "status": case.status,
                    "received_at": timezone.localtime(case.received_at),
                    "distance_m": round(distance),
                    # What residents wrote is shown only for categories the city publishes.
                    "description": mask_personal_data(case.description) if category.public_by_default else None,
                }
                for case, distance in similar
            ]
        )
