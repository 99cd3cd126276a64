"""Resource downloads: the original file of any version, and the published rows as CSV or XLSX."""

from django.http import Http404, HttpRequest, HttpResponse


def original(request: HttpRequest, resource_id, number: int | None = None) -> HttpResponse:
    raise Http404


def as_csv(request: HttpRequest, resource_id) -> HttpResponse:
    raise Http404


def as_xlsx(request: HttpRequest, resource_id) -> HttpResponse:
    raise Http404
