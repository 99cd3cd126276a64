"""Reads for complaints and their categories."""

from django.db.models import QuerySet

from apps.complaints.models import Category
from apps.municipalities.models import Municipality


def category_list(*, municipality: Municipality) -> QuerySet[Category]:
    return municipality.categories.filter(is_active=True).select_related("department").order_by("name_ko")
