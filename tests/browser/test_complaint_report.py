"""A resident reports a broken streetlight on a phone, an officer of the lighting team answers it in
the staff admin, and the resident follows the case, reads the answer and rates it.

Runs against pytest-django's live server (the test and the pages share one database, so staff can
answer the case in between). The live server speaks no websockets: the site-alerts socket every
page opens is answered by Playwright instead, and the module has a chromium of its own (see
tests/browser/conftest.py).
"""

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from apps.complaints import services
from apps.complaints.models import Category, Complaint, ReplyTemplate
from portal.celery import app as celery_app
from tests.browser.conftest import axe_violations
from tests.browser.test_pages import assert_fits_a_phone
from tests.complaints.photo_files import phone_photo

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("_orm_beside_playwright"),
]

TOUCH_TARGETS = (
    ".complaints-nav a, .breadcrumb a, .button, .choice-group label, .choice label, .leaflet-bar a, "
    ".case-card__head a, .similar__list a"
)


@pytest.fixture
def site(live_site, city):
    # Notifications are sent in-process instead of through the project's own broker folder.
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    root = django_settings.PRIVATE_MEDIA_ROOT
    before = {path for path in root.rglob("*") if path.is_file()} if root.exists() else set()
    yield live_site
    celery_app.conf.task_always_eager = eager
    for path in ({path for path in root.rglob("*") if path.is_file()} if root.exists() else set()) - before:
        path.unlink()


def answer_in_the_admin(chromium, url: str, case: Complaint, user_model) -> None:
    """An officer of the case's department logs in to the admin, starts from a reply template, edits
    it and sends it."""
    officer = user_model.objects.create_user("lighting", password="street-lamps-2026")
    officer.user_permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", "view_complaint", "change_complaint"])
    )
    case.department.staff.add(officer)
    ReplyTemplate.objects.create(
        municipality=case.municipality,
        department=case.department,
        title="전구 교체 완료",
        body_ko="가로등 전구를 교체했습니다.",
    )
    context = chromium.new_context(locale="ko-KR", viewport={"width": 1280, "height": 900})
    admin = context.new_page()
    admin.goto(f"{url}/admin/login/")
    admin.locator("#id_username").fill("lighting")
    admin.locator("#id_password").fill("street-lamps-2026")
    admin.locator("form button[type='submit']").click()
    admin.wait_for_url(f"{url}/admin/")

    admin.goto(f"{url}/admin/complaints/")
    admin.locator(f"a[href='/admin/complaints/{case.pk}/']").first.click()
    admin.wait_for_url(f"{url}/admin/complaints/{case.pk}/")
    admin.locator("#id_picker-template").select_option(label="전구 교체 완료")
    reply = admin.locator("#id_answer-message")
    expect(reply).to_have_value("가로등 전구를 교체했습니다.")
    reply.press("End")
    reply.press_sequentially(" 불편을 드려 죄송합니다.")
    admin.locator(f"form[action='/admin/complaints/{case.pk}/answer/'] button[type='submit']").click()
    admin.wait_for_url(f"{url}/admin/complaints/{case.pk}/")
    case.refresh_from_db()
    assert case.status == Complaint.Status.ANSWERED
    assert case.events.last().actor == officer
    context.close()


def test_a_resident_reports_follows_and_rates_a_case_on_a_phone(site, resident, chromium, city, django_user_model):
    page = resident
    streetlight = Category.objects.get(municipality=city, code="streetlight")
    # Someone reported a light right at the spot already: the form offers to follow that case.
    earlier = services.complaint_submit(
        category=streetlight,
        description="가로등이 깜빡여요",
        channel="web",
        latitude=city.latitude,
        longitude=city.longitude,
    ).complaint

    page.goto(site.url + "/ko/complaints/report/", wait_until="networkidle")
    assert page.locator("html").get_attribute("lang") == "ko"
    assert_fits_a_phone(page, touch_targets=TOUCH_TARGETS)
    assert axe_violations(page) == []

    description = page.locator("#id_description")
    description.press_sequentially("의정부역 앞 가로등이 꺼져 있어요", delay=20)
    suggestion = page.locator("#triage-suggestion button[data-category='streetlight']")
    suggestion.click()
    assert page.locator("#id_category").input_value() == "streetlight"
    assert suggestion.get_attribute("aria-pressed") == "true"
    assert page.locator(".category-questions[data-category='streetlight']").is_visible()
    assert not page.locator(".category-questions[data-category='disabled-bay']").is_visible()
    description.press_sequentially(" 010-1234-5678로 연락주세요", delay=10)
    page.get_by_label("꺼져 있음").check()

    page.locator("#report-map").tap()  # the middle of the map: the city hall, where the earlier case is
    expect(page.locator("#id_latitude")).not_to_have_value("")
    expect(page.locator(".leaflet-marker-icon")).to_be_visible()
    follow = page.locator(f"#similar-cases a[href='/ko/complaints/cases/{earlier.number}/']")
    follow.wait_for()

    page.set_input_files(
        "#id_photos", files=[{"name": "lamp.jpg", "mimeType": "image/jpeg", "buffer": phone_photo().read()}]
    )
    page.locator("#photo-thumbs img").wait_for()
    page.locator("#id_contact_name").fill("김민원")
    page.locator("#id_contact_phone").fill("010-9876-5432")
    page.locator("#id_contact_email").fill("resident@example.kr")
    page.locator("#id_consent").check()

    send = page.locator("#send-actions button[value='send']")
    assert not send.is_visible()  # nothing goes out before the resident has seen the preview
    page.locator("[data-preview-button]").click()
    preview = page.locator("[data-preview-description]")
    preview.wait_for()
    assert "010-****-****" in preview.inner_text() and "5678" not in preview.inner_text()
    assert page.locator("#report-preview").evaluate("node => node === document.activeElement")
    assert_fits_a_phone(page, touch_targets=TOUCH_TARGETS)
    assert axe_violations(page) == []

    send.click()
    page.wait_for_url("**/ko/complaints/report/received/")
    number = page.locator("[data-case-number]").inner_text().strip()
    case = Complaint.objects.get(number=number)
    assert case.photos.count() == 1 and case.contact_email == "resident@example.kr"
    assert case.attributes == {"light_state": "off"}
    assert f"{site.url}/ko/complaints/track/{number}/?token=" in page.locator("#tracking-link").input_value()
    assert_fits_a_phone(page, touch_targets=TOUCH_TARGETS)
    assert axe_violations(page) == []

    page.locator("[data-tracking-link]").click()
    page.wait_for_url(f"**/ko/complaints/track/{number}/?token=*")
    assert page.locator("[data-case-status]").get_attribute("data-case-status") == "received"
    photo = page.locator(".photo-grid img")
    photo.scroll_into_view_if_needed()
    expect(photo).to_have_js_property("complete", True)
    assert photo.evaluate("image => image.naturalWidth") > 0  # this browser may see its own photo
    assert_fits_a_phone(page, touch_targets=TOUCH_TARGETS)
    assert axe_violations(page) == []

    answer_in_the_admin(chromium, site.url, case, django_user_model)
    page.reload()
    assert "가로등 전구를 교체했습니다. 불편을 드려 죄송합니다." in page.locator("[data-answer]").inner_text()
    page.locator("input[name='rating-rating'][value='4']").check()
    page.locator("#id_rating-comment").fill("빨리 고쳐 주셔서 고맙습니다")
    page.locator("button[value='rate']").click()
    page.locator(".notice--success").wait_for()
    case.refresh_from_db()
    assert (case.rating, case.rating_comment) == (4, "빨리 고쳐 주셔서 고맙습니다")
    assert_fits_a_phone(page, touch_targets=TOUCH_TARGETS)
    assert axe_violations(page) == []

    page.goto(site.url + "/ko/complaints/cases/", wait_until="networkidle")
    listed = page.locator(".case-card").filter(has_text=number)
    assert "010-****-****" in listed.inner_text() and "1234-5678" not in page.content()
    page.mouse.wheel(0, 100)  # Leaflet comes once the visitor scrolls, touches or types (static/js/complaint-map.js)
    expect(page.locator("#cases-map .leaflet-interactive")).to_have_count(2)
    assert_fits_a_phone(page, touch_targets=TOUCH_TARGETS)
    assert axe_violations(page) == []
