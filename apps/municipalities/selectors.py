"""Reads for municipalities and departments."""

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from wagtail.models import Site

from apps.municipalities.models import Department, Municipality


def municipality_for_request(request: HttpRequest | None) -> Municipality | None:
    """The city whose Wagtail site serves this request; the default city when none matches."""
    site = Site.find_for_request(request) if request is not None else None
    municipality = Municipality.objects.filter(site=site).first() if site else None
    return municipality or Municipality.objects.filter(code=settings.DEFAULT_MUNICIPALITY).first()


def department_list(*, municipality: Municipality) -> QuerySet[Department]:
    return municipality.departments.filter(is_active=True).order_by("name_ko")
