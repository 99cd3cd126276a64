"""The case page in the admin: what it shows, the actions it offers, and that each goes through its
service; contact details only on request, with the permission, and logged."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages

from apps.complaints import services
from apps.complaints.deadlines import add_working_days
from apps.complaints.models import Complaint, ComplaintEvent, ContactAccess, Notification, ReplyTemplate
from apps.municipalities.models import Department
from tests.complaints.photo_files import phone_photo
from tests.complaints.test_staff_support import CITY_WIDE, CONSENTED, ROADS, file_case, staff_user

Status = Complaint.Status


@pytest.fixture
def roads(city):
    return staff_user("roads", departments=ROADS)


@pytest.fixture
def case(city):
    """A streetlight case whose reporter consented to email and SMS: two notifications per public event."""
    return file_case(city, "streetlight", contact=CONSENTED, photo_uploads=[phone_photo()])


def page(client, case) -> str:
    response = client.get(f"/admin/complaints/{case.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def post(client, case, action, data=None):
    return client.post(f"/admin/complaints/{case.pk}/{action}/", data or {})


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_the_case_page_shows_details_photos_and_the_whole_timeline(client, roads, case):
    services.complaint_add_note(complaint=case, actor=roads, message="내일 현장 확인 예정")
    answered = services.complaint_answer(complaint=case, actor=roads, message="램프를 교체했습니다.")
    services.complaint_rate(complaint=answered, rating=4, comment="빨라요")
    client.force_login(roads)
    html = page(client, case)
    assert case.number in html and "민원 내용입니다" in html and "도로조명팀" in html
    assert f'src="/complaints/photos/{case.photos.get().uuid}.jpg"' in html
    # Public lines, the internal note and the rating, with who wrote them.
    for text in ("내일 현장 확인 예정", "램프를 교체했습니다.", "4/5 빨라요", "roads"):
        assert text in html
    assert "complaints-timeline__event--internal" in html
    # The photo view lets the same staff member see the picture.
    assert client.get(f"/complaints/photos/{case.photos.get().uuid}.jpg").status_code == 200


@pytest.mark.parametrize(
    ("status", "offered"),
    [
        (Status.RECEIVED, {"accept", "answer", "transfer", "duplicate", "close", "extend", "note"}),
        (Status.ACCEPTED, {"answer", "transfer", "duplicate", "close", "extend", "note"}),
        (Status.REOPENED, {"accept", "answer", "transfer", "duplicate", "close", "extend", "note"}),
        (Status.ANSWERED, {"note"}),
        (Status.CLOSED_UNFIXED, {"note"}),
        (Status.DUPLICATE, {"note"}),
    ],
)
def test_only_the_actions_the_status_allows_are_offered(client, roads, case, status, offered):
    Complaint.objects.filter(pk=case.pk).update(status=status)
    client.force_login(roads)
    html = page(client, case)
    for action in ("accept", "answer", "transfer", "duplicate", "close", "extend", "note"):
        assert (f'action="/admin/complaints/{case.pk}/{action}/"' in html) == (action in offered), action


def test_a_case_sent_to_an_outside_agency_offers_notes_only(client, roads, case):
    services.complaint_transfer(complaint=case, actor=roads, reason="한전 소관", agency="한국전력공사")
    client.force_login(roads)
    html = page(client, case)
    assert "한국전력공사" in html
    assert f'action="/admin/complaints/{case.pk}/note/"' in html
    assert f'action="/admin/complaints/{case.pk}/accept/"' not in html


def test_accepting_goes_through_the_service(client, roads, case):
    client.force_login(roads)
    response = post(client, case, "accept", {"accept-message": "담당자가 확인 중입니다."})
    assert response.status_code == 302 and response["Location"] == f"/admin/complaints/{case.pk}/"
    case.refresh_from_db()
    event = case.events.last()
    assert case.status == Status.ACCEPTED
    assert (event.from_status, event.to_status, event.actor, event.is_public) == ("received", "accepted", roads, True)
    assert event.message == "담당자가 확인 중입니다."
    assert Notification.objects.filter(event=event).count() == 2


def test_a_public_reply_answers_the_case(client, roads, case):
    client.force_login(roads)
    post(client, case, "answer", {"answer-message": "보안등을 교체했습니다."})
    case.refresh_from_db()
    assert case.status == Status.ANSWERED and case.answered_at is not None
    event = case.events.last()
    assert (event.to_status, event.message, event.is_public) == ("answered", "보안등을 교체했습니다.", True)
    assert set(Notification.objects.filter(event=event).values_list("channel", flat=True)) == {"email", "sms"}


def test_an_internal_note_is_kept_from_the_reporter(client, roads, case):
    client.force_login(roads)
    post(client, case, "note", {"note-message": "한전 협조 필요"})
    note = case.events.get(kind=ComplaintEvent.Kind.NOTE)
    assert (note.message, note.is_public, note.actor) == ("한전 협조 필요", False, roads)
    assert not Notification.objects.filter(event=note).exists()
    case.refresh_from_db()
    assert case.status == Status.RECEIVED


def test_a_transfer_moves_the_case_to_the_other_department(client, roads, case, city):
    client.force_login(roads)
    parks = Department.objects.get(municipality=city, code="parks")
    post(client, case, "transfer", {"transfer-department": parks.pk, "transfer-reason": "공원 안 보안등입니다."})
    case.refresh_from_db()
    assert (case.status, case.department) == (Status.TRANSFERRED, parks)
    assert case.events.last().message == "공원 안 보안등입니다."


def test_a_transfer_to_an_outside_agency(client, roads, case):
    client.force_login(roads)
    post(client, case, "transfer", {"transfer-agency": "한국전력공사", "transfer-reason": "한전 전주입니다."})
    case.refresh_from_db()
    assert (case.status, case.transferred_to_agency) == (Status.TRANSFERRED_OUT, "한국전력공사")


def test_marking_a_duplicate_needs_an_original_the_user_can_see(client, roads, case, city):
    original = file_case(city, "streetlight")
    unseen = file_case(city, "missed-collection")
    client.force_login(roads)
    response = post(client, case, "duplicate", {"duplicate-original": unseen.number})
    assert unseen.number in " ".join(messages_of(response))
    case.refresh_from_db()
    assert case.status == Status.RECEIVED
    post(client, case, "duplicate", {"duplicate-original": original.number})
    case.refresh_from_db()
    assert (case.status, case.duplicate_of) == (Status.DUPLICATE, original)


def test_closing_without_a_fix(client, roads, case):
    client.force_login(roads)
    post(client, case, "close", {"close-reason": "사유지 안의 조명입니다."})
    case.refresh_from_db()
    assert case.status == Status.CLOSED_UNFIXED and case.answered_at is not None
    assert case.events.last().message == "사유지 안의 조명입니다."


def test_extending_the_deadline(client, roads, case):
    client.force_login(roads)
    before = case.due_date
    post(client, case, "extend", {"extend-working_days": "5", "extend-reason": "부품 수급 지연"})
    case.refresh_from_db()
    assert case.due_date == add_working_days(before + timedelta(days=1), 5)
    event = case.events.get(kind=ComplaintEvent.Kind.DEADLINE)
    assert (event.message, event.is_public, event.actor) == ("부품 수급 지연", True, roads)


@pytest.mark.parametrize(
    ("action", "data", "message"),
    [
        ("answer", {"answer-message": "  "}, "답변 내용을 적어 주세요."),
        (
            "transfer",
            {"transfer-department": "same", "transfer-reason": "이관"},
            "이미 그 부서에서 처리 중인 민원입니다.",
        ),
        ("transfer", {"transfer-reason": "이관"}, "이송할 부서나 외부 기관 중 하나만 선택하세요."),
        ("close", {"close-reason": ""}, "조치할 수 없는 사유를 적어 주세요."),
        ("note", {"note-message": ""}, "메모 내용을 적어 주세요."),
        ("extend", {"extend-working_days": "0", "extend-reason": "지연"}, "최소 1근무일 이상 연장하세요."),
    ],
)
def test_a_refused_action_shows_the_services_message_and_changes_nothing(client, roads, case, action, data, message):
    if data.get("transfer-department") == "same":
        data = {**data, "transfer-department": case.department_id}
    client.force_login(roads)
    before = (case.status, case.department_id, case.due_date, case.events.count(), Notification.objects.count())
    response = post(client, case, action, data)
    assert response.status_code == 400  # the case page again, not a redirect that reads as done
    assert message in messages_of(response) and message in response.content.decode()
    case.refresh_from_db()
    assert (case.status, case.department_id, case.due_date, case.events.count(), Notification.objects.count()) == before


def test_a_transition_the_status_no_longer_allows_is_refused(client, roads, case):
    services.complaint_answer(complaint=case, actor=roads, message="완료")
    client.force_login(roads)
    response = post(client, case, "accept")
    assert response.status_code == 409
    assert any("바꿀 수 없습니다" in text for text in messages_of(response))
    case.refresh_from_db()
    assert case.status == Status.ANSWERED


def test_actions_need_the_change_permission(client, roads, case, city):
    viewer = staff_user("viewer", departments=ROADS)
    viewer.groups.clear()
    viewer.user_permissions.add(*roads.groups.get().permissions.filter(codename__in=["access_admin", "view_complaint"]))
    client.force_login(viewer)
    html = page(client, case)
    assert f'action="/admin/complaints/{case.pk}/accept/"' not in html
    refused = post(client, case, "accept")
    assert refused.status_code == 403 and "민원을 처리할 권한이 없습니다." in refused.content.decode()
    case.refresh_from_db()
    assert case.status == Status.RECEIVED


# --- Contact details --------------------------------------------------------------------------


def test_contact_details_are_hidden_until_asked_for_and_each_viewing_is_logged(client, case, city):
    chief = staff_user("chief", group=CITY_WIDE)
    client.force_login(chief)
    html = page(client, case)
    assert "010-2345-6789" not in html and "reporter@example.kr" not in html and "김민원" not in html
    assert f'action="/admin/complaints/{case.pk}/contact/"' in html
    assert not ContactAccess.objects.exists()

    revealed = client.post(f"/admin/complaints/{case.pk}/contact/", REMOTE_ADDR="10.1.2.3")
    assert revealed.status_code == 200
    assert "010-2345-6789" in revealed.content.decode() and "reporter@example.kr" in revealed.content.decode()
    access = ContactAccess.objects.get()
    assert (access.complaint, access.user, access.route, access.ip_address) == (case, chief, "case_page", "10.1.2.3")

    # Shown for that response only: the page is back to hidden, and a second viewing is a second record.
    assert "010-2345-6789" not in page(client, case)
    client.post(f"/admin/complaints/{case.pk}/contact/")
    assert ContactAccess.objects.count() == 2


def test_staff_without_the_permission_never_see_contact_details(client, roads, case):
    services.complaint_add_note(complaint=case, actor=roads, message="확인")
    client.force_login(roads)
    html = page(client, case)
    assert "010-2345-6789" not in html and "reporter@example.kr" not in html and "김민원" not in html
    assert "/contact/" not in html
    refused = client.post(f"/admin/complaints/{case.pk}/contact/")
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")  # Wagtail's "no permission"
    export = b"".join(client.get("/admin/complaints/export.csv?contact=1").streaming_content).decode()
    assert "010-2345-6789" not in export and "reporter@example.kr" not in export
    detail = client.get(f"/api/v1/staff/complaints/{case.pk}/").json()
    assert detail["contact"] is None and "010-2345-6789" not in str(detail)
    assert not ContactAccess.objects.exists()


# --- Reply templates --------------------------------------------------------------------------


def test_the_reply_picker_offers_the_departments_and_the_shared_templates_in_the_reporters_language(
    client, roads, city
):
    lighting = Department.objects.get(municipality=city, code="road-lighting")
    own = ReplyTemplate.objects.create(
        municipality=city, department=lighting, title="교체 완료", body_ko="교체했습니다.", body_en="Replaced."
    )
    shared = ReplyTemplate.objects.create(municipality=city, title="이송 안내", body_ko="이송했습니다.")
    foreign = ReplyTemplate.objects.create(
        municipality=city, department=Department.objects.get(code="sanitation"), title="수거 완료", body_ko="수거"
    )
    english_case = file_case(city, "streetlight", language="en")
    client.force_login(roads)
    html = page(client, english_case)
    assert f'<option value="{own.pk}">교체 완료</option>' in html
    assert f'<option value="{shared.pk}">이송 안내</option>' in html
    assert foreign.title not in html
    # English where the department wrote it, Korean where it did not.
    assert f'"{own.pk}": "Replaced."' in html and f'"{shared.pk}": "\\uc774\\uc1a1' in html
    korean_case = file_case(city, "streetlight")
    assert f'"{own.pk}": "\\uad50\\uccb4' in page(client, korean_case)
