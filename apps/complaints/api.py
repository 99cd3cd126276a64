from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers

from apps.complaints.models import Category
from apps.complaints.selectors import category_list
from apps.municipalities.api import MUNICIPALITY_PARAMETER, requested_municipality


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
