""" "Request a dataset" and "report a data error": each files a 민원 case of category open-data,
routed to the big-data team with a deadline, and shows its receipt; bad input stores nothing."""

import re
from datetime import date

import pytest
from django.core.cache import cache

from apps.complaints.intake import RECEIPT_SESSION_KEY
from apps.complaints.models import Complaint
from apps.opendata.models import Resource

REQUEST = "/ko/open-data/datasets/request/"


@pytest.fixture(autouse=True)
def _own_cache(settings):
    """Each test counts its cases from zero against the filing limit."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()


def page_text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.mark.parametrize(("language", "heading"), [("ko", "Request a dataset"), ("en", "Request a dataset")])
def test_the_request_form_asks_for_the_data_and_optional_contact(client, city, language, heading):
    response = client.get(f"/{language}/open-data/datasets/request/")

    assert response.status_code == 200
    html = response.content.decode()
    assert f'lang="{language}"' in html
    assert 'name="wanted"' in html and 'name="purpose"' in html
    assert 'name="contact_phone"' in html and 'name="consent"' in html
    if language == "en":
        assert f"<h1>{heading}</h1>" in html


def test_a_dataset_request_is_filed_for_the_big_data_team_with_a_deadline(client, city):
    response = client.post(
        REQUEST,
        {
            "wanted": "공영주차장별 시간대 이용률",
            "purpose": "주차 앱을 만들려고 합니다",
            "contact_name": "",
            "consent": "",
        },
    )

    assert response.status_code == 302 and response.url == "/ko/complaints/report/received/"
    case = Complaint.objects.get()
    assert (case.category.code, case.department.code, case.channel, case.language) == (
        "open-data",
        "big-data",
        "web",
        "ko",
    )
    assert "공영주차장별 시간대 이용률" in case.description and "주차 앱을 만들려고 합니다" in case.description
    assert case.due_date > date.today() or case.due_date == date.today()
    assert case.contact_consent_at is None and case.contact_phone == ""
    # The receipt: the case number and the tracking link, as for any 민원.
    receipt = client.get(response.url)
    assert case.number in page_text(receipt)
    assert f"/ko/complaints/track/{case.number}/?token=" in receipt.content.decode()
    assert client.session[RECEIPT_SESSION_KEY]["number"] == case.number


def test_contact_details_are_kept_only_with_consent(client, city):
    data = {"wanted": "가로등 위치 데이터", "contact_phone": "010-1234-5678", "contact_email": "data@example.kr"}

    refused = client.post("/en/open-data/datasets/request/", data)

    assert refused.status_code == 400
    assert "only with your consent" in page_text(refused)
    assert not Complaint.objects.exists()

    accepted = client.post("/en/open-data/datasets/request/", {**data, "consent": "on"})

    assert accepted.status_code == 302
    case = Complaint.objects.get()
    assert (case.contact_phone, case.contact_email, case.language) == ("010-1234-5678", "data@example.kr", "en")
    assert case.contact_consent_at is not None and case.contact_consent_purpose


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"wanted": "   "}, "This field is required."),
        ({"wanted": "x" * 1001}, "at most 1000 characters"),
        (
            {"wanted": "자료", "contact_phone": "전화번호", "consent": "on"},
            "Enter a phone number such as 010-1234-5678.",
        ),
        ({"wanted": "자료", "contact_email": "not-an-email", "consent": "on"}, "Enter a valid email address."),
    ],
)
def test_bad_requests_are_refused_with_a_message_and_nothing_stored(client, city, data, message):
    response = client.post("/en/open-data/datasets/request/", data)

    assert response.status_code == 400
    assert message in page_text(response)
    assert "Please check the following" in page_text(response)
    assert not Complaint.objects.exists()


def test_the_message_comes_in_the_readers_language(client, city):
    response = client.post(REQUEST, {"wanted": ""})

    assert response.status_code == 400
    assert "필수 작성 항목입니다" in page_text(response)
    assert not Complaint.objects.exists()


@pytest.fixture
def parks(make_dataset):
    dataset = make_dataset("city-parks", title_ko="의정부시 도시공원현황", title_en="City parks", department="parks")
    Resource.objects.create(dataset=dataset, name_ko="공원 목록", format="CSV")
    return dataset


def test_the_error_form_is_prefilled_with_the_dataset(client, parks):
    resource = parks.resources.get()

    response = client.get(f"/ko/open-data/datasets/city-parks/report-error/?resource={resource.pk}")

    assert response.status_code == 200
    html = response.content.decode()
    assert "의정부시 도시공원현황" in page_text(response)
    assert f'<option value="{resource.pk}" selected>공원 목록 (CSV)</option>' in html
    assert 'href="/ko/open-data/datasets/city-parks/"' in html  # back to the dataset
    assert client.get("/en/open-data/datasets/city-parks/report-error/").status_code == 200


def test_a_data_error_is_filed_naming_the_dataset_and_file(client, parks):
    resource = parks.resources.get()

    response = client.post(
        "/ko/open-data/datasets/city-parks/report-error/",
        {"resource": str(resource.pk), "location": "12행, 위도", "problem": "직동근린공원 좌표가 바다 위에 있어요"},
    )

    assert response.status_code == 302 and response.url == "/ko/complaints/report/received/"
    case = Complaint.objects.get()
    assert (case.category.code, case.department.code) == ("open-data", "big-data")
    assert case.due_date is not None
    assert "의정부시 도시공원현황" in case.description
    assert "http://testserver/ko/open-data/datasets/city-parks/" in case.description
    assert f"공원 목록 (CSV, {resource.pk})" in case.description
    assert "12행, 위도" in case.description and "좌표가 바다 위에 있어요" in case.description


def test_bad_error_reports_store_nothing(client, parks, make_dataset):
    other = make_dataset("other", title_ko="다른 자료")
    foreign = Resource.objects.create(dataset=other, name_ko="남의 파일", format="CSV")

    empty = client.post("/en/open-data/datasets/city-parks/report-error/", {"problem": ""})
    wrong_file = client.post(
        "/en/open-data/datasets/city-parks/report-error/", {"resource": str(foreign.pk), "problem": "틀렸어요"}
    )

    assert empty.status_code == 400 and "This field is required." in page_text(empty)
    assert wrong_file.status_code == 400 and "Select a valid choice." in page_text(wrong_file)
    assert not Complaint.objects.exists()


def test_no_error_reports_for_unpublished_datasets(client, make_dataset):
    make_dataset("hidden", is_published=False)

    assert client.get("/ko/open-data/datasets/hidden/report-error/").status_code == 404
    assert client.post("/ko/open-data/datasets/hidden/report-error/", {"problem": "틀림"}).status_code == 404
    assert not Complaint.objects.exists()


def test_too_many_cases_from_one_connection_wait(client, city):
    for number in range(5):
        assert client.post(REQUEST, {"wanted": f"자료 {number}"}).status_code == 302

    response = client.post(REQUEST, {"wanted": "하나 더"})

    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert Complaint.objects.count() == 5
