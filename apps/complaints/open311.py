"""Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2), field names exactly as the spec.

JSON and XML, chosen by the suffix. Public output never carries personal data: descriptions and
notes are masked, coordinates rounded to about 100 m, and the address the resident typed (which the
report form promises only staff see) is left out, as FixMyStreet leaves it out. Filing needs an API key.
"""

import re
from datetime import datetime, time, timedelta
from xml.etree import ElementTree

from django.conf import settings
from django.db.models import Max
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from apps.common.masking import mask_personal_data
from apps.common.text import xml_safe
from apps.complaints import lookups, selectors, services
from apps.complaints.models import OPEN_STATUSES, Category, Complaint
from apps.municipalities.models import Municipality

MAX_REQUESTS = 1000
CHANGESET = "2026-11-22T00:00:00+09:00"  # when this API last changed
ATTRIBUTE_KEY = re.compile(r"attribute\[([\w-]+)\](\[\])?")
DEFAULT_WINDOW = timedelta(days=90)
MIN_YEAR, MAX_YEAR = 2, 9998  # of start_date and end_date
COORDINATE_DECIMALS = 3  # about 100 m: close enough to find the problem, not the reporter's door
DUE_TIME = time(18, 0)  # an answer due on a day is due by the end of office hours


class Open311Error(Exception):
    def __init__(self, status: int, description: str):
        super().__init__(description)
        self.status = status
        self.description = description


# --- rendering -------------------------------------------------------------------------------

# The element that wraps each item of a list in the XML format.
XML_ITEMS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}


def _xml(root: str, value: object) -> bytes:
    def fill(element: ElementTree.Element, value: object) -> None:
        if isinstance(value, dict):
            for key, child in value.items():
                fill(ElementTree.SubElement(element, key), child)
        elif isinstance(value, list):
            for child in value:
                fill(ElementTree.SubElement(element, XML_ITEMS.get(element.tag, "item")), child)
        elif value is not None:
            # A control character stored before intake refused them would make the whole feed unparseable.
            element.text = str(value).lower() if isinstance(value, bool) else xml_safe(str(value))

    document = ElementTree.Element(root)
    fill(document, value)
    return b'<?xml version="1.0" encoding="utf-8"?>' + ElementTree.tostring(document, encoding="utf-8")


def _render(value: list | dict, fmt: str, root: str, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        return HttpResponse(_xml(root, value), content_type="text/xml; charset=utf-8", status=status)
    return JsonResponse(value, safe=False, status=status, json_dumps_params={"ensure_ascii": False})


def _error(error: Open311Error, fmt: str) -> HttpResponse:
    return _render([{"code": error.status, "description": error.description}], fmt, "errors", error.status)


def open311_view(methods: list[str]):
    """Common handling: the format suffix, the jurisdiction, and errors in the spec's shape."""

    def decorate(view):
        @csrf_exempt  # a machine API authenticated by api_key, not a browser form
        @require_http_methods(methods)
        def wrapper(request: HttpRequest, fmt: str, **kwargs) -> HttpResponse:
            try:
                municipality = _jurisdiction(request)
                return view(request, fmt, municipality, **kwargs)
            except Open311Error as error:
                return _error(error, fmt)

        return wrapper

    return decorate


def _jurisdiction(request: HttpRequest) -> Municipality:
    code = request.GET.get("jurisdiction_id") or request.POST.get("jurisdiction_id") or settings.DEFAULT_MUNICIPALITY
    municipality = Municipality.objects.filter(code=code).first()
    if municipality is None:
        raise Open311Error(404, f"unknown jurisdiction_id {code!r}")
    return municipality


def _iso(moment: datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


# --- services --------------------------------------------------------------------------------


def _service(category: Category) -> dict:
    questions = list(category.questions.all())
    return {
        "service_code": category.code,
        "service_name": category.name_ko,
        "description": category.example_ko or category.name_en,
        "metadata": bool(questions),
        "type": "batch",
        "keywords": f"{category.name_en}, {category.get_kind_display()}",
        "group": category.department.name_ko,
    }


@open311_view(["GET"])
def services_list(request: HttpRequest, fmt: str, municipality: Municipality) -> HttpResponse:
    categories = selectors.category_list(municipality=municipality).prefetch_related("questions")
    return _render([_service(category) for category in categories], fmt, "services")


@open311_view(["GET"])
def service_definition(request: HttpRequest, fmt: str, municipality: Municipality, code: str) -> HttpResponse:
    category = selectors.category_list(municipality=municipality).filter(code=code).first()
    if category is None:
        raise Open311Error(404, f"unknown service_code {code!r}")
    # An extension of the spec: locale=en asks the questions and names the choices in English (the
    # chatbot asks them in the resident's language); Korean otherwise.
    english = request.GET.get("locale", "").lower().startswith("en")
    attributes = [
        {
            "variable": True,
            "code": question.code,
            "datatype": question.datatype,
            "required": question.required,
            "datatype_description": question.description_en,
            "order": question.order,
            "description": (question.description_en or question.description_ko) if english else question.description_ko,
            "values": [
                {"key": value["key"], "name": (value["name_en"] or value["name_ko"]) if english else value["name_ko"]}
                for value in question.values
            ],
        }
        for question in category.questions.all()
    ]
    return _render({"service_code": category.code, "attributes": attributes}, fmt, "service_definition")


# --- requests --------------------------------------------------------------------------------


def _rounded(coordinate: float | None) -> float | None:
    return round(coordinate, COORDINATE_DECIMALS) if coordinate is not None else None


def _request(complaint: Complaint, request: HttpRequest) -> dict:
    # Photos of public cases are public; the first one is the request's media (expects photos prefetched).
    photos = list(complaint.photos.all())
    media = request.build_absolute_uri(reverse("complaint-photo", args=[photos[0].uuid])) if photos else None
    return {
        "service_request_id": complaint.number,
        "status": "open" if complaint.is_open else "closed",
        "status_notes": mask_personal_data(selectors.complaint_latest_public_message(complaint)) or None,
        "service_name": complaint.category.name_ko,
        "service_code": complaint.category.code,
        "description": mask_personal_data(complaint.description),
        "agency_responsible": complaint.transferred_to_agency or complaint.department.name_ko,
        "service_notice": f"처리 기한 {complaint.due_date.isoformat()}",
        "requested_datetime": _iso(complaint.received_at),
        "updated_datetime": _iso(complaint.last_change),
        "expected_datetime": _iso(timezone.make_aware(datetime.combine(complaint.due_date, DUE_TIME))),
        "address_id": None,
        "zipcode": None,
        "lat": _rounded(complaint.latitude),
        "long": _rounded(complaint.longitude),
        "media_url": media,
    }


def _date_filter(request: HttpRequest, name: str) -> datetime | None:
    value = request.GET.get(name)
    if not value:
        return None
    try:
        moment = parse_datetime(value)
    except ValueError:  # well-formed but impossible: month 13, hour 99, an offset of +99:00
        moment = None
    # Years 1 and 9999 are left out so the 90-day window and the offset stay inside datetime's range.
    if moment is None or not MIN_YEAR <= moment.year <= MAX_YEAR:
        raise Open311Error(400, f"{name} must be a W3C date and time, e.g. 2026-11-22T09:00:00+09:00")
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _public_requests(municipality: Municipality):
    return (
        selectors.complaint_list_public(municipality=municipality)
        .annotate(last_change=Max("events__created_at"))
        .prefetch_related("photos")
    )


def _query(request: HttpRequest, fmt: str, municipality: Municipality) -> HttpResponse:
    cases = _public_requests(municipality)
    numbers = [number for number in request.GET.get("service_request_id", "").split(",") if number]
    if numbers:
        cases = cases.filter(number__in=numbers)
    else:
        codes = [code for code in request.GET.get("service_code", "").split(",") if code]
        if codes:
            cases = cases.filter(category__code__in=codes)
        end = _date_filter(request, "end_date") or timezone.now()
        start = _date_filter(request, "start_date") or end - DEFAULT_WINDOW
        if start > end:
            raise Open311Error(400, "start_date must come before end_date")
        if end - start > DEFAULT_WINDOW:
            raise Open311Error(400, "start_date and end_date may be at most 90 days apart")
        cases = cases.filter(received_at__gte=start, received_at__lte=end)
        statuses = {status for status in request.GET.get("status", "").split(",") if status}
        if statuses - {"open", "closed"}:
            raise Open311Error(400, "status must be open, closed or both")
        if statuses == {"open"}:
            cases = cases.filter(status__in=OPEN_STATUSES)
        elif statuses == {"closed"}:
            cases = cases.exclude(status__in=OPEN_STATUSES)
    rows = [_request(case, request) for case in cases.order_by("-received_at")[:MAX_REQUESTS]]
    return _render(rows, fmt, "service_requests")


def _create(request: HttpRequest, fmt: str, municipality: Municipality) -> HttpResponse:
    client = services.api_client_for_key(request.POST.get("api_key", ""))
    if client is None or client.municipality_id != municipality.pk:
        raise Open311Error(403, "a valid api_key for this jurisdiction is required")
    data = request.POST
    category = lookups.category_for_filing(municipality=municipality, code=data.get("service_code", ""))
    if category is None:
        raise Open311Error(400, "service_code is missing or unknown")
    try:
        latitude = float(data["lat"]) if data.get("lat") else None
        longitude = float(data["long"]) if data.get("long") else None
    except ValueError:
        raise Open311Error(400, "lat and long must be WGS84 decimal degrees") from None
    attributes = {
        match[1]: data.getlist(key) if match[2] else data[key]
        for key in data
        if (match := ATTRIBUTE_KEY.fullmatch(key))
    }
    name = " ".join(filter(None, [data.get("last_name", ""), data.get("first_name", "")]))
    # The client asked the resident's consent itself; the service keeps the details only for a client
    # registered with a consent purpose, and with that purpose (answers are checked there too).
    contact = services.Contact(name=name, phone=data.get("phone", ""), email=data.get("email", ""), consented=True)
    try:
        submission = services.complaint_submit(
            category=category,
            description=data.get("description", ""),
            channel=Complaint.Channel.API,
            latitude=latitude,
            longitude=longitude,
            address=data.get("address_string", ""),
            attributes=attributes,
            contact=contact,
            client=client,
        )
    except services.ComplaintError as error:
        raise Open311Error(400, " ".join(str(message) for message in error.messages)) from None
    case = submission.complaint
    notice = f"접수번호 {case.number}, 처리 기한 {case.due_date.isoformat()}"
    return _render(
        [{"service_request_id": case.number, "service_notice": notice, "account_id": None}],
        fmt,
        "service_requests",
        status=201,
    )


@open311_view(["GET", "POST"])
def requests_view(request: HttpRequest, fmt: str, municipality: Municipality) -> HttpResponse:
    if request.method == "POST":
        return _create(request, fmt, municipality)
    return _query(request, fmt, municipality)


@open311_view(["GET"])
def request_detail(request: HttpRequest, fmt: str, municipality: Municipality, number: str) -> HttpResponse:
    case = _public_requests(municipality).filter(number=number).first()
    if case is None:
        raise Open311Error(404, f"no public service request {number!r}")
    return _render([_request(case, request)], fmt, "service_requests")


@open311_view(["GET"])
def discovery(request: HttpRequest, fmt: str, municipality: Municipality) -> HttpResponse:
    return _render(
        {
            "changeset": CHANGESET,
            "contact": f"{municipality.name_ko} {municipality.phone}".strip(),
            "max_requests": MAX_REQUESTS,
            "endpoints": [
                {
                    "specification": "http://wiki.open311.org/GeoReport_v2",
                    "url": request.build_absolute_uri("/open311/v2"),
                    "type": "production",
                    "formats": ["application/json", "text/xml"],
                }
            ],
        },
        fmt,
        "discovery",
    )
