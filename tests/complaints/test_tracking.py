"""The reporter's tracking page: the case by number and token, its answer, reopening and rating."""

import re
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.utils import timezone

from apps.complaints import services
from apps.complaints.models import Category, Complaint, ComplaintEvent
from tests.complaints.photo_files import phone_photo

ANSWER = "가로등을 교체했습니다. 문의: 도로조명팀 031-828-2345"


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("lighting", password="x")


@pytest.fixture
def filed(city):
    submission = services.complaint_submit(
        category=Category.objects.get(municipality=city, code="streetlight"),
        description="아파트 뒤 보안등이 꺼졌어요. 연락은 010-1234-5678",
        channel="web",
        latitude=37.745612,
        longitude=127.051234,
        address="녹양동 123 뒤편",
        photo_uploads=[phone_photo()],
    )
    yield submission
    for photo in submission.complaint.photos.all():
        photo.image.delete(save=False)


def tracking_url(submission, language: str = "ko") -> str:
    return f"/{language}/complaints/track/{submission.complaint.number}/?token={submission.tracking_token}"


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def post(client, submission, **data):
    url = f"/ko/complaints/track/{submission.complaint.number}/"
    return client.post(url, {"token": submission.tracking_token, **data})


def test_the_case_is_shown_to_whoever_holds_its_token(client, filed):
    case = filed.complaint
    response = client.get(tracking_url(filed))
    html = response.content.decode()
    assert response.status_code == 200
    assert case.number in html and "가로등·보안등 고장" in html and "도로조명팀" in html
    assert case.due_date.strftime("%Y-%m-%d") in html
    assert 'data-case-status="received"' in html and "접수" in text(response)
    assert "010-1234-5678" in html  # the reporter's own words, whole
    assert f"/complaints/photos/{case.photos.get().uuid}.jpg" in html
    assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert 'value="reopen"' not in html and 'value="rate"' not in html  # nothing to reopen or rate yet


def test_the_photos_of_an_unpublished_case_open_for_the_browser_that_showed_the_token(client, city):
    submission = services.complaint_submit(
        category=Category.objects.get(municipality=city, code="illegal-parking"),
        description="차가 골목을 막고 있어요",
        channel="web",
        address="녹양동 골목",
        photo_uploads=[phone_photo()],
    )
    photo = submission.complaint.photos.get()
    try:
        assert client.get(f"/complaints/photos/{photo.uuid}.jpg").status_code == 404
        client.get(tracking_url(submission))
        shown = client.get(f"/complaints/photos/{photo.uuid}.jpg")
        assert shown.status_code == 200 and shown["Cache-Control"] == "private, max-age=3600"
        assert b"".join(shown) == photo.image.open("rb").read() and shown["Content-Type"] == "image/jpeg"
    finally:
        photo.image.delete(save=False)


def test_a_wrong_number_or_token_gets_the_same_not_found(client, filed):
    number, token = filed.complaint.number, filed.tracking_token
    other_number = f"{timezone.localdate().year}-999999"
    wrong_token = client.get(f"/ko/complaints/track/{number}/?token={token[:-2]}xx")
    wrong_number = client.get(f"/ko/complaints/track/{other_number}/?token={token}")
    no_token = client.get(f"/ko/complaints/track/{number}/")
    for response in (wrong_token, wrong_number, no_token):
        assert response.status_code == 404
    # The pages differ only in the number the resident typed, which is shown back to them.
    assert text(wrong_token).replace(number, "N") == text(wrong_number).replace(other_number, "N")
    assert "가로등" not in text(wrong_token)

    by_form = client.get("/ko/complaints/track/", {"number": number, "token": "nope"})
    assert by_form.status_code == 404 and text(by_form).replace(number, "N") == text(wrong_token).replace(number, "N")


def test_the_lookup_form_leads_to_the_case_even_with_the_whole_link_pasted(client, filed):
    number, token = filed.complaint.number, filed.tracking_token
    assert client.get("/ko/complaints/track/").status_code == 200
    direct = client.get("/ko/complaints/track/", {"number": f" {number} ", "token": token})
    assert direct.status_code == 302 and direct.url == f"/ko/complaints/track/{number}/?token={quote(token)}"
    pasted = client.get(
        "/ko/complaints/track/", {"number": number, "token": f"http://localhost:8000{tracking_url(filed)}"}
    )
    assert pasted.status_code == 302 and pasted.url == direct.url
    missing = client.get("/ko/complaints/track/", {"number": number, "token": ""})
    assert missing.status_code == 400 and 'id="id_token_error"' in missing.content.decode()


def test_the_answer_shows_and_the_reporter_can_reopen_the_case(client, filed, staff):
    services.complaint_answer(complaint=filed.complaint, actor=staff, message=ANSWER)
    page = client.get(tracking_url(filed))
    html = page.content.decode()
    assert 'data-case-status="answered"' in html
    assert "031-828-2345" in html.split("data-answer>")[1]  # the department's number, for the reporter
    assert 'value="reopen"' in html and 'value="rate"' in html

    refused = post(client, filed, action="reopen", **{"reopen-reason": "  "})
    assert refused.status_code == 400 and 'id="id_reopen-reason_error"' in refused.content.decode()
    assert Complaint.objects.get().status == "answered"

    reopened = post(client, filed, action="reopen", **{"reopen-reason": "아직도 꺼져 있어요"})
    assert reopened.status_code == 302 and reopened.url == tracking_url(filed).replace(
        filed.tracking_token, quote(filed.tracking_token)
    )
    case = Complaint.objects.get()
    assert case.status == "reopened" and case.answered_at is None
    event = case.events.filter(is_public=True).last()
    assert (event.to_status, event.message, event.actor) == ("reopened", "아직도 꺼져 있어요", None)
    after = client.get(reopened.url)
    assert 'data-case-status="reopened"' in after.content.decode() and 'role="status"' in after.content.decode()


def test_reopening_after_14_days_is_refused_in_the_readers_language(client, filed, staff):
    services.complaint_answer(complaint=filed.complaint, actor=staff, message=ANSWER)
    Complaint.objects.update(answered_at=timezone.now() - timedelta(days=15))
    page = client.get(tracking_url(filed)).content.decode()
    assert 'value="reopen"' not in page  # the page no longer offers it
    response = post(client, filed, action="reopen", **{"reopen-reason": "아직도 꺼져 있어요"})
    assert response.status_code == 400
    assert "답변 후 14일이 지나 재개할 수 없습니다. 새로 신고해 주세요." in text(response)
    assert Complaint.objects.get().status == "answered"


def test_the_reporter_rates_the_answer(client, filed, staff):
    early = post(client, filed, action="rate", **{"rating-rating": "5"})
    assert early.status_code == 400 and Complaint.objects.get().rating is None

    services.complaint_answer(complaint=filed.complaint, actor=staff, message=ANSWER)
    html = client.get(tracking_url(filed)).content.decode()
    assert html.count('type="radio" name="rating-rating"') == 5
    invalid = post(client, filed, action="rate", **{"rating-rating": "9"})
    assert invalid.status_code == 400 and Complaint.objects.get().rating is None

    rated = post(client, filed, action="rate", **{"rating-rating": "4", "rating-comment": "빨리 고쳐 주셨어요"})
    assert rated.status_code == 302
    case = Complaint.objects.get()
    assert (case.rating, case.rating_comment) == (4, "빨리 고쳐 주셨어요")
    assert case.events.filter(kind=ComplaintEvent.Kind.RATING).exists()
    again = client.get(rated.url).content.decode()
    assert re.search(r'<input type="radio" name="rating-rating" value="4"[^>]*checked', again)
    assert "4" in again.split('id="rating-title"')[1].split("<form")[0]  # "you rated this answer 4 out of 5"


def test_an_extended_deadline_shows_with_its_reason(client, filed, staff):
    services.complaint_extend_deadline(
        complaint=filed.complaint, actor=staff, working_days=5, reason="부품 수급에 시간이 걸립니다"
    )
    case = Complaint.objects.get()
    html = client.get(tracking_url(filed)).content.decode()
    assert case.due_date.strftime("%Y-%m-%d") in html
    assert "부품 수급에 시간이 걸립니다" in html and "처리 기한 연장" in html


def test_the_tracking_page_works_in_english(client, filed, staff):
    services.complaint_answer(complaint=filed.complaint, actor=staff, message=ANSWER)
    response = client.get(tracking_url(filed, "en"))
    html = response.content.decode()
    assert response.status_code == 200 and '<html lang="en">' in html
    assert "Streetlight out or flickering" in html and "Answered" in html and "Rate the answer" in html
