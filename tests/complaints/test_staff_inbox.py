"""The inbox, its filters, the map and the CSV export of the same cases, the dashboard, and the
cost of a page (flat in the number of rows, counting no further than a page needs, its order off an
index)."""

import csv
import io
import json
import re
from datetime import date, timedelta
from functools import partial

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.users.models import UserProfile

from apps.complaints import admin_views, selectors, services
from apps.complaints.models import Category, Complaint, ContactAccess
from apps.municipalities.models import Department
from tests.complaints.test_staff_support import CITY_WIDE, CONSENTED, ROADS, file_case, staff_user

Status = Complaint.Status


@pytest.fixture
def roads(city):
    return staff_user("roads", departments=ROADS)


@pytest.fixture
def chief(city):
    return staff_user("chief", group=CITY_WIDE)


def listed(client, query: str = "") -> list[int]:
    """The cases an inbox page links to, in its order."""
    response = client.get(f"/admin/complaints/{query}")
    assert response.status_code == 200
    return [
        int(pk) for pk in re.findall(r'<th scope="row"><a href="/admin/complaints/(\d+)/">', response.content.decode())
    ]


def set_due(case: Complaint, due) -> None:
    Complaint.objects.filter(pk=case.pk).update(due_date=due)


def exported(client, query: str = "") -> tuple[bytes, list[list[str]]]:
    response = client.get(f"/admin/complaints/export.csv{query}")
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content)
    return body, list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


# --- Filters ----------------------------------------------------------------------------------


@pytest.fixture
def deadlines(city, roads):
    """Open cases overdue, due today, due after the "soon" window; and finished ones past their date."""
    today = timezone.localdate()
    overdue, due_today, later = (file_case(city, "streetlight") for _ in range(3))
    set_due(overdue, today - timedelta(days=1))
    set_due(due_today, today)
    set_due(later, selectors.due_soon_last_day(today) + timedelta(days=1))
    answered = services.complaint_answer(complaint=file_case(city, "pothole"), actor=roads, message="완료")
    agency = services.complaint_transfer(
        complaint=file_case(city, "pothole"), actor=roads, reason="한전 소관", agency="한국전력공사"
    )
    for finished in (answered, agency):
        set_due(finished, today - timedelta(days=3))
    return {"overdue": overdue, "due_today": due_today, "later": later, "answered": answered, "agency": agency}


def test_overdue_means_open_and_past_the_due_date(client, roads, deadlines):
    client.force_login(roads)
    assert listed(client, "?overdue=1") == [deadlines["overdue"].pk]
    html = client.get("/admin/complaints/").content.decode()
    assert html.count("complaints-badge--overdue") == 1


def test_due_soon_means_open_and_due_within_two_working_days(client, roads, deadlines):
    client.force_login(roads)
    assert listed(client, "?due_soon=1") == [deadlines["due_today"].pk]
    assert set(listed(client, "?overdue=1&due_soon=1")) == {deadlines["overdue"].pk, deadlines["due_today"].pk}
    assert listed(client, "?overdue=0") == listed(client, "")


def test_two_working_days_skip_the_weekend():
    friday = date(2026, 11, 20)
    assert selectors.due_soon_last_day(friday) == date(2026, 11, 24)  # Monday and Tuesday


def test_filters_by_status_category_dong_dates_and_words(client, roads, city):
    in_howon = file_case(city, "streetlight", dong="호원1동", description="호원동 보안등이 꺼졌어요")
    accepted = services.complaint_accept(complaint=file_case(city, "pothole"), actor=roads)
    old = file_case(city, "streetlight", description="작년 겨울 일")
    Complaint.objects.filter(pk=old.pk).update(received_at=timezone.now() - timedelta(days=40))
    client.force_login(roads)
    assert listed(client, "?dong=호원1동") == [in_howon.pk]
    assert listed(client, "?status=accepted") == [accepted.pk]
    pothole = Category.objects.get(municipality=city, code="pothole")
    assert listed(client, f"?category={pothole.pk}") == [accepted.pk]
    since = (timezone.localdate() - timedelta(days=1)).isoformat()
    assert listed(client, f"?received_from={since}") == [accepted.pk, in_howon.pk]
    until = (timezone.localdate() - timedelta(days=39)).isoformat()
    assert listed(client, f"?received_to={until}") == [old.pk]
    assert listed(client, "?q=겨울") == [old.pk]
    assert listed(client, f"?q={accepted.number}") == [accepted.pk]


def test_bad_filters_are_shown_not_guessed(client, roads, city):
    file_case(city, "streetlight")
    client.force_login(roads)
    assert listed(client, "?received_from=2026-02-01&received_to=2026-01-01") == []
    assert listed(client, "?status=lost") == []
    assert client.get("/admin/complaints/map/?received_from=someday").context["markers"] == []
    assert client.get("/admin/complaints/export.csv?received_from=someday").status_code == 302
    assert client.get("/api/v1/staff/complaints/?status=lost").status_code == 400


def test_the_department_filter_offers_the_departments_one_can_see(client, roads, chief, city):
    lighting = file_case(city, "streetlight")
    maintenance = file_case(city, "pothole")
    sanitation = Department.objects.get(code="sanitation")
    file_case(city, "missed-collection")
    client.force_login(chief)
    assert listed(client, f"?department={sanitation.pk}") != []
    client.force_login(roads)  # a member of 도로과's two teams
    assert listed(client, f"?department={Department.objects.get(code='road-lighting').pk}") == [lighting.pk]
    assert listed(client, f"?department={sanitation.pk}") == []  # not a choice for them
    client.force_login(staff_user("lights", departments=["road-lighting"]))
    assert 'name="department"' not in client.get("/admin/complaints/").content.decode()
    assert listed(client, "") == [lighting.pk] and maintenance.pk not in listed(client, "")


def test_the_inbox_pages_newest_first(client, roads, city, monkeypatch):
    monkeypatch.setattr(admin_views, "INBOX_PAGE_SIZE", 2)
    first, second, third = (file_case(city, "streetlight", dong="호원1동") for _ in range(3))
    client.force_login(roads)
    assert listed(client, "") == [third.pk, second.pk]
    assert listed(client, "?p=2") == [first.pk]
    # The filters stay in the links to the other pages.
    assert (
        "?dong=%ED%98%B8%EC%9B%901%EB%8F%99&amp;p=2" in client.get("/admin/complaints/?dong=호원1동").content.decode()
    )


def test_the_inbox_counts_no_further_than_a_page_needs(client, roads, city, monkeypatch):
    """Past INBOX_COUNT_LIMIT cases from a page's first one the inbox says "more than" rather than
    count every case; each later page counts from its own first case, so all stay reachable."""
    monkeypatch.setattr(admin_views, "INBOX_PAGE_SIZE", 2)
    monkeypatch.setattr(admin_views, "INBOX_COUNT_LIMIT", 3)
    newest_first = [case.pk for case in reversed([file_case(city, "streetlight") for _ in range(6)])]
    file_case(city, "missed-collection")  # another department's: neither listed nor counted
    profile = UserProfile.get_for_user(roads)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(roads)

    def page(query: str, rows: slice) -> str:
        """The page's text, once its cases are checked."""
        assert listed(client, query) == newest_first[rows]
        return " ".join(client.get(f"/admin/complaints/{query}").content.decode().split())

    first = page("", slice(0, 2))
    assert "Page 1 of 2+" in first and "More than 3 complaints" in first
    assert "Page 2 of 3+" in page("?p=2", slice(2, 4))
    last = page("?p=3", slice(4, 6))
    assert "Page 3 of 3 </p>" in last and "6 complaints" in last and "More than" not in last
    assert "Page 3 of 3 </p>" in page("?p=99", slice(4, 6))  # past the end: the last page, as before
    # Up to the limit the count is exact.
    monkeypatch.setattr(admin_views, "INBOX_COUNT_LIMIT", 6)
    first = page("", slice(0, 2))
    assert "Page 1 of 3 </p>" in first and "6 complaints" in first and "More than" not in first


def test_the_first_page_reads_the_newest_cases_off_an_index(chief, city):
    """The inbox's order has an index of its own, so the first page does not sort every case. With
    the few rows here sorting would be cheaper, so PostgreSQL is told to avoid it wherever it can."""
    cases = selectors.complaint_list_filtered(user=chief, filters=selectors.CaseFilter(), today=timezone.localdate())
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_sort = off")
        plan = cases[: admin_views.INBOX_PAGE_SIZE].explain()
    assert "complaint_inbox_newest_first" in plan


# --- Cost of a page ---------------------------------------------------------------------------


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


# The inbox's first page: session and user, the filters' choices, the admin's menu, one count and
# one page of rows (14 today for an officer); a query per row or a second count would break this.
INBOX_FIRST_PAGE_MAX_QUERIES = 15


@pytest.mark.parametrize("role", ["department", "city-wide"])
def test_the_number_of_queries_does_not_grow_with_the_rows(client, city, role, django_assert_max_num_queries):
    user = staff_user("roads", departments=ROADS) if role == "department" else staff_user("chief", group=CITY_WIDE)
    client.force_login(user)
    urls = ["/admin/complaints/", "/admin/complaints/map/", "/api/v1/staff/complaints/", "/admin/complaints/dashboard/"]
    for _ in range(2):
        file_case(city, "streetlight", dong="호원1동")
    few = {url: queries_for(client, url) for url in urls}
    for index in range(20):
        file_case(city, "pothole" if index % 2 else "streetlight", dong="의정부1동")
    assert {url: queries_for(client, url) for url in urls} == few
    with django_assert_max_num_queries(INBOX_FIRST_PAGE_MAX_QUERIES):
        assert len(listed(client, "")) == 22


# --- Map --------------------------------------------------------------------------------------


def test_the_map_shows_the_filtered_cases_and_says_when_it_stops(client, roads, city, monkeypatch):
    cases = [file_case(city, "streetlight", dong="호원1동") for _ in range(3)]
    file_case(city, "streetlight", dong="의정부1동")
    file_case(city, "welfare", latitude=None, longitude=None, dong="호원1동")  # nothing to pin
    client.force_login(roads)
    response = client.get("/admin/complaints/map/?dong=호원1동")
    markers = json.loads(
        re.search(
            r'id="complaints-map-markers" type="application/json">(.*?)</script>', response.content.decode()
        ).group(1)
    )
    assert sorted(marker["number"] for marker in markers) == sorted(case.number for case in cases)
    assert {marker["url"] for marker in markers} == {f"/admin/complaints/{case.pk}/" for case in cases}
    assert (response.context["located"], response.context["capped"]) == (3, False)

    monkeypatch.setattr(selectors, "MAP_MARKER_LIMIT", 2)
    capped = client.get("/admin/complaints/map/?dong=호원1동")
    assert (len(capped.context["markers"]), capped.context["located"], capped.context["capped"]) == (2, 3, True)


# --- CSV export -------------------------------------------------------------------------------


def test_the_export_is_excel_ready_csv_of_the_filtered_cases(client, roads, city):
    case = file_case(
        city, "streetlight", dong="호원1동", address="호원동 123", description='=HYPERLINK("x")', contact=CONSENTED
    )
    file_case(city, "pothole", dong="의정부1동")
    client.force_login(roads)
    body, rows = exported(client, "?dong=호원1동")
    assert body.startswith(b"\xef\xbb\xbf")
    assert len(rows) == 2 and len(rows[0]) == 11  # no contact columns without the permission
    number, code, name, department, dong, status, received, due, answered, address, description = rows[1]
    assert (number, code, name, department, dong) == (
        case.number,
        "streetlight",
        "가로등·보안등 고장",
        "도로조명팀",
        "호원1동",
    )
    assert (status, due, answered, address) == ("접수", case.due_date.isoformat(), "", "호원동 123")
    assert received == timezone.localtime(case.received_at).strftime("%Y-%m-%d %H:%M")
    assert description == '\'=HYPERLINK("x")'  # a resident's text never runs as a formula
    assert "010-2345-6789" not in body.decode("utf-8")
    # Asking for contact details without the permission changes nothing.
    with_contact, _ = exported(client, "?dong=호원1동&contact=1")
    assert with_contact == body
    assert "contact=1" not in client.get("/admin/complaints/").content.decode()
    assert not ContactAccess.objects.exists()


def test_an_export_with_contact_details_logs_every_case_it_shows(client, chief, city, monkeypatch):
    # Batches of two, so the export is seen to go on past its first batch.
    monkeypatch.setattr(selectors, "complaint_batches", partial(selectors.complaint_batches, size=2))
    cases = [file_case(city, "streetlight", contact=CONSENTED) for _ in range(3)]
    client.force_login(chief)
    # Only when asked for: a plain export carries no contact details and logs nothing.
    body, rows = exported(client)
    assert len(rows[0]) == 11 and "010-2345-6789" not in body.decode("utf-8")
    assert not ContactAccess.objects.exists()
    assert "export.csv?contact=1" in client.get("/admin/complaints/").content.decode()
    _, rows = exported(client, "?contact=1")
    assert len(rows) == 4 and len(rows[0]) == 14
    assert {row[0]: row[-3:] for row in rows[1:]} == {
        case.number: ["김민원", "010-2345-6789", "reporter@example.kr"] for case in cases
    }
    logged = ContactAccess.objects.filter(route=ContactAccess.Route.EXPORT, user=chief)
    assert sorted(logged.values_list("complaint_id", flat=True)) == sorted(case.pk for case in cases)


# --- Dashboard --------------------------------------------------------------------------------


@pytest.fixture
def known_cases(city, roads):
    today = timezone.localdate()
    waiting = file_case(city, "streetlight")
    late_open = file_case(city, "streetlight")
    set_due(late_open, today - timedelta(days=1))
    on_time = services.complaint_answer(complaint=file_case(city, "streetlight"), actor=roads, message="완료")
    services.complaint_rate(complaint=on_time, rating=5)
    late = services.complaint_answer(complaint=file_case(city, "streetlight"), actor=roads, message="늦었습니다")
    set_due(late, today - timedelta(days=1))
    services.complaint_rate(complaint=late, rating=3)
    services.complaint_close_unfixed(complaint=file_case(city, "pothole"), actor=roads, reason="사유지")
    months_ago = file_case(city, "pothole")
    Complaint.objects.filter(pk=months_ago.pk).update(received_at=timezone.now() - timedelta(days=40))
    file_case(city, "missed-collection")  # another department's
    return waiting


def test_the_dashboard_counts_the_last_30_days_per_department(roads, known_cases):
    departments, total = selectors.department_stats_for_staff(user=roads, today=timezone.localdate())
    rows = {row.name: row for row in departments}
    lighting, maintenance = rows["도로조명팀"], rows["도로정비팀"]
    assert set(rows) == {"도로조명팀", "도로정비팀"}
    assert (lighting.received, lighting.open, lighting.overdue, lighting.answered) == (4, 2, 1, 2)
    assert (lighting.answered_on_time, lighting.on_time_percent, lighting.average_rating) == (1, 50, 4.0)
    assert (maintenance.received, maintenance.open, maintenance.answered, maintenance.on_time_percent) == (1, 0, 1, 100)
    assert maintenance.average_rating is None
    assert (total.received, total.open, total.overdue, total.answered, total.on_time_percent) == (5, 2, 1, 3, 67)


def test_the_dashboard_and_the_home_panel_show_the_numbers(client, roads, known_cases):
    client.force_login(roads)
    dashboard = client.get("/admin/complaints/dashboard/")
    assert dashboard.status_code == 200
    html = dashboard.content.decode()
    assert "도로조명팀" in html and "50%" in html and "67%" in html and "4.0" in html
    assert "청소행정팀" not in html
    home = client.get("/admin/").content.decode()
    assert 'id="complaints-summary-section"' in home and "67%" in home


def test_the_dashboard_lists_messages_that_did_not_reach_their_reporters(client, roads, city, settings):
    from apps.complaints.models import Notification

    now = timezone.now()
    stuck = file_case(city, "streetlight", contact=CONSENTED)  # road lighting: roads sees it
    fresh = file_case(city, "pothole", contact=CONSENTED)
    other = file_case(city, "missed-collection", contact=CONSENTED)  # another department's
    Notification.objects.filter(event__complaint=stuck, channel="sms").update(
        state="sending", claimed_at=now - timedelta(seconds=settings.NOTIFICATION_SEND_LEASE_SECONDS + 60)
    )
    Notification.objects.filter(event__complaint=stuck, channel="email").update(state="failed", last_error="SMTP 421")
    Notification.objects.filter(event__complaint=other).update(state="failed")
    Notification.objects.filter(event__complaint=fresh).update(state="pending")  # the sweep will take these
    undelivered = selectors.notification_list_undelivered_for_staff(user=roads, now=now)
    assert {(n.event.complaint.number, n.channel) for n in undelivered} == {
        (stuck.number, "sms"),
        (stuck.number, "email"),
    }
    client.force_login(roads)
    html = client.get("/admin/complaints/dashboard/").content.decode()
    assert stuck.number in html and "SMTP 421" in html
    assert other.number not in html and fresh.number not in html


def test_the_menu_and_the_home_panel_are_for_complaint_staff(client, django_user_model, roads, chief, city):
    client.force_login(roads)
    home = client.get("/admin/").content.decode()
    assert "/admin/complaints/" in home and "/admin/complaints/reply-templates/" in home
    assert "/admin/complaints/contact-log/" not in home
    client.force_login(chief)
    assert "/admin/complaints/contact-log/" in client.get("/admin/").content.decode()
    editor = django_user_model.objects.create_user("editor", password="x")
    editor.user_permissions.add(*roads.groups.get().permissions.filter(codename="access_admin"))
    client.force_login(editor)
    home = client.get("/admin/").content.decode()
    assert "complaints-summary-section" not in home and "/admin/complaints/" not in home
