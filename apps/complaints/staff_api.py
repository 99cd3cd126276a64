"""The staff API: the inbox and the case page as JSON, for the signed-in staff member's browser.

Session authentication only (no keys to leak), the same isolation as the admin (another
department's case is a 404), and contact details only with the permission, every time logged.
"""

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import exceptions, generics, serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response

from apps.common.client import client_address
from apps.complaints import selectors, services
from apps.complaints.models import Complaint, ComplaintEvent, ContactAccess
from apps.complaints.staff_forms import CaseFilterForm


class CanViewComplaints(BasePermission):
    def has_permission(self, request, view):
        return request.user.has_perm("complaints.view_complaint")


class StaffApiView:
    authentication_classes = [SessionAuthentication]
    permission_classes = [IsAuthenticated, CanViewComplaints]


class StaffEventSerializer(serializers.ModelSerializer):
    # Plain strings: the case's status field already documents the status values once.
    from_status = serializers.CharField(help_text="A case status, or empty.")
    to_status = serializers.CharField(help_text="A case status, or empty.")
    actor = serializers.SerializerMethodField(help_text="Staff username; null for the reporter or the system.")

    class Meta:
        model = ComplaintEvent
        fields = ["kind", "from_status", "to_status", "message", "is_public", "actor", "created_at"]

    def get_actor(self, event: ComplaintEvent) -> str | None:
        return event.actor.get_username() if event.actor else None


class StaffComplaintSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(slug_field="code", read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True)
    department = serializers.SlugRelatedField(slug_field="code", read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    deadline = serializers.ChoiceField(
        choices=["", *selectors.Deadline.values], read_only=True, help_text="overdue, due_soon or empty."
    )

    class Meta:
        model = Complaint
        fields = [
            "id",
            "number",
            "status",
            "status_label",
            "category",
            "category_name",
            "department",
            "department_name",
            "transferred_to_agency",
            "dong",
            "received_at",
            "due_date",
            "deadline",
            "answered_at",
        ]


class ReporterContactSerializer(serializers.Serializer):
    name = serializers.CharField(source="contact_name")
    phone = serializers.CharField(source="contact_phone")
    email = serializers.CharField(source="contact_email")
    consent_at = serializers.DateTimeField(source="contact_consent_at")
    consent_purpose = serializers.CharField(source="contact_consent_purpose")


class StaffComplaintDetailSerializer(StaffComplaintSerializer):
    duplicate_of = serializers.CharField(source="duplicate_of.number", default=None, read_only=True, allow_null=True)
    timeline = StaffEventSerializer(source="events", many=True, read_only=True)
    photos = serializers.SerializerMethodField()
    contact = serializers.SerializerMethodField(
        help_text="Only for staff allowed to see contact details; each response is logged."
    )

    class Meta(StaffComplaintSerializer.Meta):
        fields = [
            *StaffComplaintSerializer.Meta.fields,
            "description",
            "address",
            "latitude",
            "longitude",
            "attributes",
            "language",
            "channel",
            "duplicate_of",
            "rating",
            "rating_comment",
            "timeline",
            "photos",
            "contact",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.URLField()))
    def get_photos(self, case: Complaint) -> list[str]:
        request = self.context["request"]
        return [request.build_absolute_uri(reverse("complaint-photo", args=[p.uuid])) for p in case.photos.all()]

    @extend_schema_field(ReporterContactSerializer(allow_null=True))
    def get_contact(self, case: Complaint) -> dict | None:
        return ReporterContactSerializer(case).data if self.context.get("show_contact") else None


def _filter_parameters() -> list[OpenApiParameter]:
    return [
        OpenApiParameter("q", str, description="Case number or words from the description."),
        OpenApiParameter("status", str, enum=Complaint.Status.values),
        OpenApiParameter("overdue", bool, description="Open cases past their due date."),
        OpenApiParameter("due_soon", bool, description="Open cases due today or within two working days."),
        OpenApiParameter("category", int, description="Category id."),
        OpenApiParameter("department", int, description="Department id (for staff who see every department)."),
        OpenApiParameter("dong", str, description="행정동 name, e.g. 호원1동."),
        OpenApiParameter("received_from", OpenApiTypes.DATE),
        OpenApiParameter("received_to", OpenApiTypes.DATE),
    ]


@extend_schema(
    parameters=_filter_parameters(),
    summary="The signed-in staff member's cases, with the inbox filters (session sign-in)",
)
class StaffComplaintListView(StaffApiView, generics.ListAPIView):
    serializer_class = StaffComplaintSerializer

    def get_queryset(self):
        form = CaseFilterForm(self.request.query_params, user=self.request.user)
        if not form.is_valid():
            raise exceptions.ValidationError(form.errors)
        return selectors.complaint_list_filtered(
            user=self.request.user, filters=form.case_filter(), today=timezone.localdate()
        )


@extend_schema(summary="One case with its full timeline (session sign-in; contact details need the permission)")
class StaffComplaintDetailView(StaffApiView, generics.RetrieveAPIView):
    serializer_class = StaffComplaintDetailSerializer
    show_contact = False  # decided per request in retrieve()

    def get_object(self):
        case = selectors.complaint_get_for_staff_page(
            user=self.request.user, pk=self.kwargs["pk"], today=timezone.localdate()
        )
        if case is None:
            raise exceptions.NotFound
        return case

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "show_contact": self.show_contact}

    def retrieve(self, request, *args, **kwargs):
        case = self.get_object()
        self.show_contact = selectors.complaint_has_contact(case) and selectors.staff_can_see_contact(request.user)
        if self.show_contact:
            services.contact_access_record(
                complaint=case,
                user=request.user,
                route=ContactAccess.Route.API,
                ip_address=client_address(request) or None,
            )
        response = Response(self.get_serializer(case).data)
        response["Cache-Control"] = "no-store"
        return response
