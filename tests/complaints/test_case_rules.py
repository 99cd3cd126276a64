"""Every rule of a case lives in its service and is checked on the locked row: a case sent to an
outside agency is finished on every door, a stale copy of a case cannot slip a change past a rule,
the answers to a category's questions and the consent purpose are decided by complaint_submit, and
the admin answers a refused action with the service's reason and a status that says so."""

import importlib
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest
from django.apps import apps as django_apps
from django.db import connection, connections
from django.utils import timezone

from apps.complaints import selectors, services
from apps.complaints.models import OPEN_STATUSES, Category, CategoryQuestion, Complaint, ComplaintEvent
from apps.complaints.services import ComplaintConflict, ComplaintError, Contact, Status
from apps.municipalities.models import Department
from tests.complaints.test_staff_support import CONSENTED, ROADS, file_case, staff_user

CITY_HALL = {"latitude": 37.7381, "longitude": 127.0337}


@pytest.fixture
def roads(city):
    return staff_user("roads", departments=ROADS)


@pytest.fixture
def agency_case(city, roads):
    """A streetlight case 도로조명팀 sent to 한국전력공사 (the pole is KEPCO's)."""
    case = file_case(city, "streetlight", contact=CONSENTED)
    return services.complaint_transfer(complaint=case, actor=roads, reason="한전 전주입니다.", agency="한국전력공사")


def public_events(case: Complaint) -> int:
    return ComplaintEvent.objects.filter(complaint=case, is_public=True).count()


# --- A case sent to an outside agency is finished ------------------------------------------------


def test_a_transfer_to_an_agency_is_a_finished_status_of_its_own(agency_case):
    assert agency_case.status == Status.TRANSFERRED_OUT and not agency_case.is_open
    assert services.TRANSITIONS[Status.TRANSFERRED_OUT] == set()
    assert agency_case.events.last().to_status == Status.TRANSFERRED_OUT


NOT_ANY_MORE = "타 기관 이송 상태의 민원은"  # the start of the service's refusal of a transition, in Korean


@pytest.mark.parametrize(
    ("action", "data", "message"),
    [
        ("accept", {"accept-message": "담당자가 확인 중입니다."}, NOT_ANY_MORE),
        ("answer", {"answer-message": "램프를 교체했습니다."}, NOT_ANY_MORE),
        ("extend", {"extend-working_days": "5", "extend-reason": "부품 수급 지연"}, "처리 중인 민원만 기한을"),
        ("close", {"close-reason": "사유지 시설입니다."}, NOT_ANY_MORE),
        ("transfer", {"transfer-agency": "경기도청", "transfer-reason": "도 소관"}, NOT_ANY_MORE),
    ],
)
def test_hand_made_admin_posts_on_an_agency_case_are_refused(client, roads, agency_case, action, data, message):
    before = (agency_case.status, agency_case.due_date, agency_case.answered_at, public_events(agency_case))
    client.force_login(roads)
    response = client.post(f"/admin/complaints/{agency_case.pk}/{action}/", data)
    assert response.status_code == 409
    assert message in response.content.decode()
    agency_case.refresh_from_db()
    assert (agency_case.status, agency_case.due_date, agency_case.answered_at, public_events(agency_case)) == before


def test_open_is_defined_once_and_agrees_with_the_transitions():
    for status in Status.values:
        staff_may_act = bool(services.TRANSITIONS[status] - {Status.REOPENED})
        assert (status in OPEN_STATUSES) == staff_may_act, status


def test_an_agency_case_is_closed_for_open311_reminders_and_the_dashboard(client, city, roads, agency_case):
    Category.objects.filter(code="streetlight").update(public_by_default=True)
    [request] = client.get("/open311/v2/requests.json", {"service_request_id": agency_case.number}).json()
    assert request["status"] == "closed" and request["agency_responsible"] == "한국전력공사"
    opened = client.get("/open311/v2/requests.json", {"status": "open"}).json()
    assert agency_case.number not in [row["service_request_id"] for row in opened]
    assert services.deadline_reminders_send(today=agency_case.due_date) == 0
    _, total = selectors.department_stats_for_staff(user=roads, today=timezone.localdate())
    assert (total.received, total.open, total.overdue) == (1, 0, 0)


def test_the_reporter_sees_who_handles_the_case_now(client, city, roads):
    submission = services.complaint_submit(
        category=Category.objects.get(code="streetlight"), description="전주 가로등 고장", channel="web", **CITY_HALL
    )
    services.complaint_transfer(
        complaint=submission.complaint, actor=roads, reason="한전 전주입니다.", agency="한국전력공사"
    )
    url = f"/ko/complaints/track/{submission.complaint.number}/?token={submission.tracking_token}"
    html = client.get(url).content.decode()
    assert 'data-case-status="transferred_out"' in html and "타 기관 이송" in html
    assert "한국전력공사 소관이어서 해당 기관으로 이송했습니다" in html
    assert "처리 기한" not in html  # the city's deadline no longer runs
    english = client.get(url.replace("/ko/", "/en/")).content.decode()
    assert "Transferred to another agency" in english
    assert "Your report is for 한국전력공사 to handle" in english


def test_existing_agency_transfers_are_converted_by_the_migration(city, roads):
    inside = file_case(city, "streetlight")
    other = Department.objects.get(municipality=city, code="road-maintenance")
    services.complaint_transfer(complaint=inside, actor=roads, reason="도로 파손", department=other)
    outside = file_case(city, "streetlight")
    # As the old code left an agency transfer: the shared "transferred" status and the agency's name.
    Complaint.objects.filter(pk=outside.pk).update(status=Status.TRANSFERRED, transferred_to_agency="한국전력공사")
    ComplaintEvent.objects.create(
        complaint=outside, kind="status", from_status="received", to_status="transferred", is_public=True
    )
    migration = importlib.import_module("apps.complaints.migrations.0006_agency_transfer_finished")
    migration.agency_transfers_finished(django_apps, None)
    outside.refresh_from_db()
    inside.refresh_from_db()
    assert outside.status == Status.TRANSFERRED_OUT and outside.events.last().to_status == "transferred_out"
    assert inside.status == Status.TRANSFERRED  # moved inside the city: still open
    migration.agency_transfers_back(django_apps, None)
    outside.refresh_from_db()
    assert outside.status == Status.TRANSFERRED and outside.events.last().to_status == "transferred"


# --- Rules checked on the locked row, not on the caller's copy -------------------------------------


def stale_copy(case: Complaint, **changed) -> Complaint:
    """The case as a caller loaded it, before someone else changed it in the database."""
    copy = Complaint.objects.get(pk=case.pk)
    Complaint.objects.filter(pk=case.pk).update(**changed)
    return copy


def test_an_extension_is_refused_when_the_case_was_closed_meanwhile(city, roads):
    case = file_case(city, "streetlight")
    loaded = stale_copy(case, status=Status.ANSWERED, answered_at=timezone.now())
    with pytest.raises(ComplaintConflict) as refused:
        services.complaint_extend_deadline(complaint=loaded, actor=roads, working_days=5, reason="지연")
    assert refused.value.code == "extension_closed"
    case.refresh_from_db()
    assert case.due_date == loaded.due_date and not case.events.filter(kind="deadline").exists()


def test_a_rating_is_refused_when_the_case_was_reopened_meanwhile(city, roads):
    case = services.complaint_answer(complaint=file_case(city, "streetlight"), actor=roads, message="교체 완료")
    loaded = stale_copy(case, status=Status.REOPENED, answered_at=None)
    with pytest.raises(ComplaintConflict) as refused:
        services.complaint_rate(complaint=loaded, rating=5)
    assert refused.value.code == "rating_early"
    assert Complaint.objects.get(pk=case.pk).rating is None


def test_reopening_reads_the_answer_date_of_the_locked_row(city, roads):
    case = services.complaint_answer(complaint=file_case(city, "streetlight"), actor=roads, message="교체 완료")
    loaded = stale_copy(case, answered_at=timezone.now() - timedelta(days=20))  # answered again, long ago
    with pytest.raises(ComplaintConflict) as refused:
        services.complaint_reopen(complaint=loaded, reason="여전히 꺼져 있어요")
    assert refused.value.code == "reopen_late"
    assert Complaint.objects.get(pk=case.pk).status == Status.ANSWERED


def test_a_transfer_reads_the_department_of_the_locked_row(city, roads):
    case = file_case(city, "streetlight")
    other = Department.objects.get(municipality=city, code="road-maintenance")
    loaded = stale_copy(case, department=other)  # someone moved it there first
    with pytest.raises(ComplaintError) as refused:
        services.complaint_transfer(complaint=loaded, actor=roads, reason="도로 파손", department=other)
    assert refused.value.code == "transfer_target"
    assert Complaint.objects.get(pk=case.pk).status == Status.RECEIVED


def test_a_duplicate_reads_the_original_of_the_locked_row(city, roads):
    case, original = file_case(city, "streetlight"), file_case(city, "streetlight")
    loaded_original = stale_copy(original, status=Status.DUPLICATE, duplicate_of=case)  # marked the other way
    with pytest.raises(ComplaintError) as refused:
        services.complaint_mark_duplicate(complaint=case, actor=roads, original=loaded_original)
    assert refused.value.code == "duplicate_target"
    assert Complaint.objects.get(pk=case.pk).status == Status.RECEIVED


def test_a_transition_reads_the_status_of_the_locked_row(city, roads):
    case = file_case(city, "streetlight")
    loaded = stale_copy(case, status=Status.TRANSFERRED_OUT, transferred_to_agency="한국전력공사")
    with pytest.raises(ComplaintConflict):
        services.complaint_answer(complaint=loaded, actor=roads, message="교체 완료")
    assert Complaint.objects.get(pk=case.pk).status == Status.TRANSFERRED_OUT


# --- Answers to the category's questions -----------------------------------------------------------


def submit(code: str, attributes, **fields):
    return services.complaint_submit(
        category=Category.objects.get(code=code),
        description="소화전 앞에 차가 서 있어요",
        channel="api",
        attributes=attributes,
        **{**CITY_HALL, **fields},
    ).complaint


@pytest.fixture
def questions(city):
    """The pothole category asks, besides its size, a number, a date and time and several choices."""
    pothole = Category.objects.get(code="pothole")
    values = [{"key": key, "name_ko": key, "name_en": key} for key in ("car", "bike", "walker")]
    for order, (code, datatype, extra) in enumerate(
        [("depth_cm", "number", {}), ("seen_at", "datetime", {}), ("hit", "multivaluelist", {"values": values})],
        start=2,
    ):
        CategoryQuestion.objects.create(
            category=pothole,
            code=code,
            datatype=datatype,
            order=order,
            description_ko=code,
            description_en=code,
            **extra,
        )
    return pothole


@pytest.mark.parametrize(
    ("code", "attributes", "error"),
    [
        ("hydrant-parking", {}, "attributes_missing"),
        ("hydrant-parking", {"spot": "  "}, "attributes_missing"),
        ("hydrant-parking", {"spot": "rooftop"}, "attributes_invalid"),
        ("hydrant-parking", {"spot": ["hydrant", "crossing"]}, "attributes_invalid"),
        ("hydrant-parking", {"spot": {"key": "hydrant"}}, "attributes_invalid"),
        ("hydrant-parking", {"spot": "hydrant", "colour": "red"}, "attributes_unknown"),
        ("hydrant-parking", {"spot": "hydrant", "licence_plate": "가" * 201}, "attributes_too_long"),
        ("hydrant-parking", {"spot": "hydrant", "licence_plate": 1234}, "attributes_invalid"),
        ("hydrant-parking", ["spot", "hydrant"], "attributes_invalid"),
        ("pothole", {"depth_cm": "deep"}, "attributes_invalid"),
        ("pothole", {"depth_cm": "1e999"}, "attributes_invalid"),
        ("pothole", {"depth_cm": True}, "attributes_invalid"),
        ("pothole", {"seen_at": "2026-13-45T99:99:99"}, "attributes_invalid"),
        ("pothole", {"seen_at": "yesterday"}, "attributes_invalid"),
        ("pothole", {"hit": ["car", "plane"]}, "attributes_invalid"),
    ],
)
def test_answers_are_checked_against_the_questions(questions, code, attributes, error):
    with pytest.raises(ComplaintError) as refused:
        submit(code, attributes)
    assert refused.value.code == error
    assert not Complaint.objects.exists()


def test_good_answers_are_stored_in_their_type(questions):
    case = submit("pothole", {"size": "small", "depth_cm": "12.5", "seen_at": "2026-11-22T09:00+09:00", "hit": "bike"})
    assert case.attributes == {
        "size": "small",
        "depth_cm": 12.5,
        "seen_at": "2026-11-22T09:00:00+09:00",
        "hit": ["bike"],
    }
    assert submit("pothole", {"depth_cm": 30, "hit": ["car", "car"], "size": ""}).attributes == {
        "depth_cm": 30,
        "hit": ["car"],
    }


def test_the_api_refuses_a_missing_required_answer_with_the_services_message(client, city):
    key = services.api_client_create(municipality=city, name="시민 앱")[1]
    body = {"category": "hydrant-parking", "description": "소화전 앞 주차", **CITY_HALL}
    auth = {"HTTP_AUTHORIZATION": f"Token {key}", "content_type": "application/json"}
    response = client.post("/api/v1/complaints/", json.dumps(body), **auth)
    assert response.status_code == 400
    assert response.json()["code"] == "attributes_missing"
    assert response.json()["detail"] == ["“어디에 세워져 있나요?” 질문에 답해 주세요."]
    english = client.post("/api/v1/complaints/", json.dumps(body), HTTP_ACCEPT_LANGUAGE="en", **auth)
    assert english.json()["detail"] == ["Please answer the question “Where is it parked?”."]
    bad_choice = {**body, "attributes": {"spot": "rooftop"}}
    refused = client.post("/api/v1/complaints/", json.dumps(bad_choice), **auth)
    assert refused.status_code == 400 and refused.json()["code"] == "attributes_invalid"
    assert not Complaint.objects.exists()
    filed = client.post("/api/v1/complaints/", json.dumps({**body, "attributes": {"spot": "hydrant"}}), **auth)
    assert filed.status_code == 201


# --- The consent purpose -------------------------------------------------------------------------


def test_the_purpose_kept_is_the_clients_registered_one_never_the_requests(client, city):
    key = services.api_client_create(municipality=city, name="시민 앱", consent_purpose="처리 결과 문자 안내")[1]
    body = {
        "category": "streetlight",
        "description": "보안등이 꺼졌어요",
        "attributes": {"light_state": "off"},
        "contact": {"phone": "010-2222-3333", "consent_purpose": "마케팅 정보 수신에 동의합니다"},
        **CITY_HALL,
    }
    response = client.post(
        "/api/v1/complaints/", json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=f"Token {key}"
    )
    assert response.status_code == 201, response.content
    case = Complaint.objects.get(number=response.json()["number"])
    assert (case.contact_phone, case.contact_consent_purpose) == ("010-2222-3333", "처리 결과 문자 안내")


def test_a_client_registered_without_a_purpose_keeps_no_contact_details(city):
    silent, _ = services.api_client_create(municipality=city, name="시민 앱")
    case = submit(
        "hydrant-parking", {"spot": "hydrant"}, contact=Contact(phone="010-1111-2222", consented=True), client=silent
    )
    assert (case.contact_phone, case.contact_consent_at, case.contact_consent_purpose) == ("", None, "")


def test_the_portals_own_forms_keep_the_purpose_in_the_language_shown(city):
    korean = submit("hydrant-parking", {"spot": "hydrant"}, contact=CONSENTED)
    english = submit("hydrant-parking", {"spot": "hydrant"}, contact=CONSENTED, language="en")
    assert korean.contact_consent_purpose.startswith("이름과 연락처는")
    assert english.contact_consent_purpose.startswith("We collect your name and contact details only")
    with pytest.raises(ComplaintError) as refused:
        submit("hydrant-parking", {"spot": "hydrant"}, contact=Contact(phone="010-1111-2222"))
    assert refused.value.code == "consent_missing"


def test_open311_keeps_contact_details_with_its_clients_purpose(client, city):
    key = services.api_client_create(municipality=city, name="시민 앱", consent_purpose="처리 결과 안내")[1]
    form = {
        "api_key": key,
        "service_code": "hydrant-parking",
        "lat": "37.7381",
        "long": "127.0337",
        "description": "소화전 앞에 트럭이 서 있어요",
        "attribute[spot]": "hydrant",
        "email": "resident@example.kr",
    }
    response = client.post("/open311/v2/requests.json", form)
    assert response.status_code == 201
    case = Complaint.objects.get()
    assert (case.contact_email, case.contact_consent_purpose) == ("resident@example.kr", "처리 결과 안내")


# --- Refusals in the admin ---------------------------------------------------------------------------


def test_a_refusal_in_the_admin_is_not_a_redirect(client, city, roads):
    case = services.complaint_answer(complaint=file_case(city, "streetlight"), actor=roads, message="완료")
    client.force_login(roads)
    refused = client.post(f"/admin/complaints/{case.pk}/extend/", {"extend-working_days": "3", "extend-reason": "지연"})
    assert refused.status_code == 409 and "처리 중인 민원만 기한을 연장할 수 있습니다." in refused.content.decode()
    typed_wrong = client.post(f"/admin/complaints/{case.pk}/note/", {"note-message": " "})
    assert typed_wrong.status_code == 400
    done = client.post(f"/admin/complaints/{case.pk}/note/", {"note-message": "확인함"})
    assert done.status_code == 302


def test_reminders_are_due_for_open_cases_only(city, roads):
    open_case = file_case(city, "streetlight")
    file_case(city, "streetlight")
    Complaint.objects.exclude(pk=open_case.pk).update(status=Status.TRANSFERRED_OUT, transferred_to_agency="경기도청")
    assert services.deadline_reminders_send(today=date.today() + timedelta(days=60)) == 1


@pytest.mark.django_db(transaction=True)
def test_two_cases_marked_as_each_others_duplicate_at_once_cannot_both_be(city, django_user_model):
    if connection.vendor == "sqlite":
        pytest.skip("the in-memory SQLite test database is one connection; the PostgreSQL run checks this")
    # A plain user: the staff groups made by a migration are gone once a transactional test has run.
    roads = django_user_model.objects.create_user("roads", password="x")
    pairs = [(file_case(city, "streetlight"), file_case(city, "streetlight")) for _ in range(10)]
    barrier = threading.Barrier(2)

    def mark(case: Complaint, original: Complaint) -> str:
        try:
            barrier.wait()
            services.complaint_mark_duplicate(complaint=case, actor=roads, original=original)
            return "done"
        except ComplaintError as error:
            return error.code
        finally:
            connections.close_all()

    for first, second in pairs:
        with ThreadPoolExecutor(max_workers=2) as pool:
            outcomes = sorted(pool.map(mark, [first, second], [second, first]))
        barrier.reset()
        # One wins; the other sees, on the locked original, that it is a duplicate now (no deadlock).
        assert outcomes == ["done", "duplicate_target"]
        statuses = sorted(Complaint.objects.filter(pk__in=[first.pk, second.pk]).values_list("status", flat=True))
        assert statuses == [Status.DUPLICATE, Status.RECEIVED]
