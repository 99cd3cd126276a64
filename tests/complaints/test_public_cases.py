"""Public cases: only published categories, text masked, locations rounded, no contact details."""

import json
import re

import pytest

from apps.complaints import services
from apps.complaints.models import Category
from tests.complaints.photo_files import phone_photo

EXACT = {"latitude": 37.745612, "longitude": 127.051234}
PERSONAL = "연락은 010-1234-5678, 주민번호 900101-1234567, 차량 12가3456, 메일 kim.minwon@naver.com"


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("roads", password="x")


def file_case(city, code: str, description: str, **fields):
    fields = {"channel": "web", **EXACT, **fields}
    category = Category.objects.get(municipality=city, code=code)
    return services.complaint_submit(category=category, description=description, **fields).complaint


def points_on(html: str) -> list[dict]:
    return json.loads(re.search(r'<script id="cases-points" type="application/json">(.*?)</script>', html)[1])


def assert_nothing_personal(html: str) -> None:
    for secret in (
        "010-1234-5678",
        "1234567",
        "12가3456",
        "kim.minwon",
        "naver",
        "37.745612",
        "127.051234",
        "37.7456",
        "127.0512",
    ):
        assert secret not in html, secret
    for contact in ("김민원", "resident@example.kr", "녹양동 123"):
        assert contact not in html, contact


def test_the_list_masks_text_rounds_locations_and_shows_no_contact(client, city):
    case = file_case(
        city,
        "pothole",
        f"도로가 깊게 파였어요. {PERSONAL}",
        address="녹양동 123 앞",
        contact=services.Contact(name="김민원", email="resident@example.kr", consented=True),
    )
    response = client.get("/ko/complaints/cases/")
    html = response.content.decode()
    assert response.status_code == 200 and case.number in html
    assert "010-****-****" in html and "******-*******" in html and "12가****" in html and "k***@***.com" in html
    assert_nothing_personal(html)
    assert points_on(html) == [
        {
            "latitude": 37.746,
            "longitude": 127.051,
            "label": f"{case.number} · 도로 파손·포트홀 · 접수",
            "url": f"/ko/complaints/cases/{case.number}/",
        }
    ]


def test_cases_of_unpublished_categories_never_appear(client, city):
    private = file_case(city, "illegal-parking", "12가3456 차량이 골목을 막고 있어요", address="녹양동 골목")
    public = file_case(city, "streetlight", "보안등이 꺼졌어요")
    html = client.get("/ko/complaints/cases/").content.decode()
    assert public.number in html and private.number not in html
    assert client.get(f"/ko/complaints/cases/{private.number}/").status_code == 404
    assert client.get("/ko/complaints/cases/2000-000001/").status_code == 404
    # Asking for the unpublished category by its code shows nothing of it either.
    asked = client.get("/ko/complaints/cases/", {"category": "illegal-parking"})
    assert [case.number for case in asked.context["cases"]] == [public.number]


def test_the_list_filters_by_category_and_status(client, city, staff):
    pothole = file_case(city, "pothole", "포트홀이 생겼어요")
    light = file_case(city, "streetlight", "가로등이 깜빡여요")
    services.complaint_answer(complaint=light, actor=staff, message="고쳤습니다")

    def numbers(**query) -> set[str]:
        return {case.number for case in client.get("/ko/complaints/cases/", query).context["cases"]}

    assert numbers() == {pothole.number, light.number}
    assert numbers(category="pothole") == {pothole.number}
    assert numbers(status="answered") == {light.number}
    assert numbers(category="pothole", status="answered") == set()
    assert numbers(status="nonsense") == {pothole.number, light.number}  # an unknown filter filters nothing


def test_the_list_is_paginated(client, city):
    for n in range(21):
        file_case(city, "pothole", f"포트홀 {n}번째 신고")
    first = client.get("/ko/complaints/cases/", {"category": "pothole"})
    second = client.get("/ko/complaints/cases/", {"category": "pothole", "page": 2})
    assert len(first.context["cases"]) == 20 and len(second.context["cases"]) == 1
    assert 'href="?category=pothole&amp;page=2"' in first.content.decode()
    assert "포트홀 0번째 신고" in second.content.decode()  # the oldest comes last


def test_the_case_page_shows_the_masked_case_its_timeline_and_public_photos(client, city, staff):
    case = file_case(
        city,
        "streetlight",
        f"가로등이 꺼졌어요. {PERSONAL}",
        address="녹양동 123 뒤",
        dong="녹양동",
        contact=services.Contact(name="김민원", phone="010-1234-5678", consented=True),
        photo_uploads=[phone_photo()],
    )
    photo = case.photos.get()
    try:
        services.complaint_extend_deadline(complaint=case, actor=staff, working_days=3, reason="부품을 주문했습니다")
        services.complaint_answer(
            complaint=case,
            actor=staff,
            message="교체했습니다. 신고인 010-1234-5678 님(kim.minwon@naver.com)께 감사드립니다",
        )
        services.complaint_add_note(complaint=case, actor=staff, message="내부 메모: 업체 재방문 필요")
        response = client.get(f"/ko/complaints/cases/{case.number}/")
        html = response.content.decode()
        assert response.status_code == 200
        assert "가로등·보안등 고장" in html and "녹양동" in html and "답변 완료" in html
        assert "부품을 주문했습니다" in html and "교체했습니다. 신고인 010-****-**** 님(k***@***.com)께" in html
        assert "내부 메모" not in html
        assert_nothing_personal(html)
        assert points_on(html)[0]["latitude"] == 37.746
        assert f"/complaints/photos/{photo.uuid}.jpg" in html
        assert client.get(f"/complaints/photos/{photo.uuid}.jpg").status_code == 200
    finally:
        photo.image.delete(save=False)


def test_public_pages_work_in_english(client, city):
    case = file_case(city, "pothole", "Deep pothole, call 010-1234-5678")
    listing = client.get("/en/complaints/cases/")
    detail = client.get(f"/en/complaints/cases/{case.number}/")
    for response in (listing, detail):
        html = response.content.decode()
        assert response.status_code == 200 and '<html lang="en">' in html
        assert "Pothole or broken road" in html and "Received" in html and "010-****-****" in html
    assert points_on(listing.content.decode())[0]["url"] == f"/en/complaints/cases/{case.number}/"
