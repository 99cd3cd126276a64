from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound

from apps.municipalities.models import Department, Municipality
from apps.municipalities.selectors import department_list, municipality_for_request

MUNICIPALITY_PARAMETER = OpenApiParameter(
    "municipality", str, description="Municipality code; the site's own city when omitted (e.g. uijeongbu)."
)


def requested_municipality(request) -> Municipality:
    code = request.query_params.get("municipality")
    municipality = Municipality.objects.filter(code=code).first() if code else municipality_for_request(request)
    if municipality is None:
        raise NotFound(f"Unknown municipality {code!r}." if code else "No municipality is configured.")
    return municipality


class DepartmentSerializer(serializers.ModelSerializer):
    municipality = serializers.SlugRelatedField(slug_field="code", read_only=True)
    office_hours_ko = serializers.CharField(
        source="office_hours_ko_or_city", read_only=True, help_text="The department's own hours, else the city's."
    )
    office_hours_en = serializers.CharField(source="office_hours_en_or_city", read_only=True)
    call_centre_phone = serializers.CharField(
        source="municipality.phone",
        read_only=True,
        help_text="The city's call centre, for departments without a phone.",
    )

    class Meta:
        model = Department
        fields = [
            "code",
            "name_ko",
            "name_en",
            "parent_ko",
            "handles",
            "phone",
            "office_hours_ko",
            "office_hours_en",
            "call_centre_phone",
            "municipality",
        ]


@extend_schema(parameters=[MUNICIPALITY_PARAMETER], summary="Departments that answer complaints")
class DepartmentListView(generics.ListAPIView):
    serializer_class = DepartmentSerializer
    pagination_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator asks only for the model
            return Department.objects.none()
        return department_list(municipality=requested_municipality(self.request)).select_related("municipality")
