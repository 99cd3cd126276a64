"""The resident's report form: preview, send, and everything it refuses."""

import re

import pytest
from django.core.cache import cache
from PIL import Image

from apps.complaints.intake import RECEIPT_SESSION_KEY, TRACKED_CASES_SESSION_KEY
from apps.complaints.models import Category, CategoryQuestion, Complaint, Notification, Photo
from tests.complaints.photo_files import GPS_IFD, bomb_png, not_a_picture, oversized_photo, phone_photo

REPORT = "/ko/complaints/report/"
STREETLIGHT = {
    "description": "의정부역 앞 가로등이 사흘째 꺼져 있어요",
    "category": "streetlight",
    "q__streetlight__light_state": "off",
    "q__streetlight__pole_number": "A-1234",
    "latitude": "37.738123",
    "longitude": "127.045678",
    "address": "의정부역 2번 출구 앞",
}


@pytest.fixture(autouse=True)
def _own_cache(settings):
    """Each test counts its reports from zero."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()


@pytest.fixture
def stored_files(settings):
    """The photo files written during the test; removed afterwards."""
    root = settings.PRIVATE_MEDIA_ROOT

    def files() -> set:
        return {path for path in root.rglob("*") if path.is_file()} if root.exists() else set()

    before = files()
    yield lambda: sorted(files() - before)
    for path in files() - before:
        path.unlink()


def preview(client, data: dict, url: str = REPORT, **extra):
    return client.post(url, {**data, "action": "preview"}, **extra)


def send(client, data: dict, photos=(), url: str = REPORT, **extra):
    """Preview, then send what was previewed, as a resident does."""
    previewed = preview(client, data, url)
    assert previewed.status_code == 200, previewed.context["form"].errors
    digest = previewed.context["preview"].digest
    return client.post(url, {**data, "photos": list(photos), "preview_digest": digest, "action": "send"}, **extra)


def page_text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_a_report_with_a_phone_photo_is_filed_without_the_photos_location(client, city, stored_files):
    data = {
        **STREETLIGHT,
        "dong": "의정부1동",
        "contact_name": "김민원",
        "contact_phone": "010-1234-5678",
        "contact_email": "resident@example.kr",
        "consent": "on",
    }
    response = send(client, data, photos=[phone_photo()])

    assert response.status_code == 302 and response.url == "/ko/complaints/report/received/"
    case = Complaint.objects.get()
    assert (case.category.code, case.channel, case.language) == ("streetlight", "web", "ko")
    assert case.description == STREETLIGHT["description"]
    assert (case.latitude, case.longitude, case.dong) == (37.738123, 127.045678, "의정부1동")
    assert case.attributes == {"light_state": "off", "pole_number": "A-1234"}
    assert (case.contact_name, case.contact_phone, case.contact_email) == (
        "김민원",
        "010-1234-5678",
        "resident@example.kr",
    )
    assert case.contact_consent_at is not None
    consent_text = re.search(
        r'id="id_consent_helptext">.*?<br>\s*(.*?)\s*</p>', client.get(REPORT).content.decode(), re.S
    )
    assert case.contact_consent_purpose == consent_text[1]  # word for word what the page showed
    # The receipt owes the reporter an email and a text message.
    assert sorted(Notification.objects.filter(event__complaint=case).values_list("channel", flat=True)) == [
        "email",
        "sms",
    ]

    photo = Photo.objects.get()
    assert photo.complaint == case and len(stored_files()) == 1
    with photo.image.open("rb") as handle, Image.open(handle) as stored:
        exif = stored.getexif()
        assert not exif.get_ifd(GPS_IFD) and not exif

    session = client.session
    assert session[TRACKED_CASES_SESSION_KEY] == [case.pk]  # this browser may see the photos
    receipt = client.get(response.url)
    html = receipt.content.decode()
    assert case.number in html and case.due_date.isoformat() in html
    token = session[RECEIPT_SESSION_KEY]["token"]
    assert f"/ko/complaints/track/{case.number}/?token={token}" in html
    assert client.get(f"/complaints/photos/{photo.uuid}.jpg").status_code == 200


def test_the_receipt_with_its_token_is_for_this_browser_only_and_only_for_a_while(client, city, monkeypatch):
    import time

    from django.test import Client

    received = send(client, STREETLIGHT).url
    token = client.session[RECEIPT_SESSION_KEY]["token"]
    assert token in client.get(received).content.decode()
    assert token in client.get(received).content.decode()  # a reload does not lose it
    assert Client().get(received).status_code == 302  # another browser never sees it
    later = time.time() + 11 * 60
    monkeypatch.setattr(time, "time", lambda: later)
    response = client.get(received)
    assert response.status_code == 302 and response.url == "/ko/complaints/track/"
    assert RECEIPT_SESSION_KEY not in client.session


def test_nothing_is_sent_that_was_not_previewed(client, city):
    unchecked = client.post(REPORT, {**STREETLIGHT, "action": "send"})
    assert unchecked.status_code == 200 and unchecked.context["preview"] is not None
    assert not Complaint.objects.exists()

    digest = preview(client, STREETLIGHT).context["preview"].digest
    changed = {**STREETLIGHT, "description": "민원인 연락처 010-9876-5432", "preview_digest": digest, "action": "send"}
    response = client.post(REPORT, changed)
    assert response.status_code == 200 and response.context["changed"]
    assert "010-****-****" in response.content.decode()  # the new text, as the public will see it
    assert not Complaint.objects.exists()


def test_the_preview_shows_what_the_public_will_see(client, city):
    text = "연락처 010-1234-5678, 주민번호 900101-1234567, 차량 12가3456 이 골목에 서 있어요"
    response = preview(client, {**STREETLIGHT, "description": text})
    preview_html = response.content.decode().split('id="report-preview"')[1].split("</section>")[0]
    assert "010-****-****" in preview_html and "******-*******" in preview_html and "12가****" in preview_html
    assert "5678" not in preview_html and "1234567" not in preview_html and "3456" not in preview_html
    assert "37.738, 127.046" in preview_html and "37.738123" not in preview_html
    assert "가로등·보안등 고장" in preview_html
    assert 'name="action" value="send"' in response.content.decode()

    parked = {"description": "차량 12가3456 이 계속 서 있어요", "category": "illegal-parking", "address": "녹양동 골목"}
    unpublished = preview(client, parked, url="/en/complaints/report/")
    assert "Reports of this category are not published." in page_text(unpublished)


def test_the_preview_shows_the_dong_the_service_will_find_in_the_address(client, city):
    data = {**STREETLIGHT, "address": "녹양동 123 앞"}
    preview_html = preview(client, data).content.decode().split('id="report-preview"')[1]
    assert "녹양동" in preview_html.split("</section>")[0]
    assert send(client, data).status_code == 302
    assert Complaint.objects.get().dong == "녹양동"


def test_the_page_script_gets_the_preview_and_the_errors_from_the_server(client, city):
    good = preview(
        client, {**STREETLIGHT, "description": "전화 010-1234-5678", "photo_count": "2"}, HTTP_ACCEPT="application/json"
    ).json()
    assert good["ok"] and good["digest"] and "010-****-****" in good["html"] and "5678" not in good["html"]
    assert "2장" in good["html"] or "2 photos" in good["html"]

    bad = preview(client, {"category": "streetlight"}, HTTP_ACCEPT="application/json").json()
    assert not bad["ok"]
    fields = {error["field"]: error for error in bad["errors"]}
    assert fields["description"]["id"] == "id_description" and fields["description"]["messages"]
    assert "q__streetlight__light_state" in fields and "address" in fields
    assert 'href="#id_description"' in bad["summary"]


@pytest.mark.parametrize(
    ("photos", "message"),
    [
        ([not_a_picture("notes.jpg")], "notes.jpg is not a picture or is damaged."),
        ([oversized_photo()], "huge.jpg is larger than 10.0\xa0MB."),
        ([phone_photo(f"IMG_{n}.jpg", size=(32, 32)) for n in range(6)], "Up to 5 photos per report."),
        ([bomb_png(30_000, 30_000)], "bomb.png has too many pixels."),
    ],
    ids=["text-named-jpg", "over-10-mb", "six-photos", "decompression-bomb"],
)
def test_bad_photos_are_refused_and_nothing_is_kept(client, city, stored_files, photos, message):
    response = send(client, STREETLIGHT, photos=photos, url="/en/complaints/report/")
    assert response.status_code == 400
    html = response.content.decode()
    assert f'<ul class="errorlist" id="id_photos_error"><li>{message}</li></ul>' in html  # next to the field
    assert f'<a href="#id_photos">Choose photos: {message}</a>' in html  # and in the summary
    assert 'aria-describedby="id_photos_helptext id_photos_error"' in html
    assert not Complaint.objects.exists() and not Photo.objects.exists() and stored_files() == []


def test_a_category_that_needs_a_location_needs_a_pin_or_an_address(client, city):
    nowhere = {key: value for key, value in STREETLIGHT.items() if key not in ("latitude", "longitude", "address")}
    response = client.post(REPORT, {**nowhere, "action": "preview"})
    assert response.status_code == 400
    assert "불편 사항이 있는 위치를 지도에 표시하거나 주소를 적어 주세요." in page_text(response)
    assert not Complaint.objects.exists()

    assert send(client, {**nowhere, "address": "시민로 1 앞"}).status_code == 302
    assert Complaint.objects.get().address == "시민로 1 앞"
    welfare = {"description": "혼자 사시는 어르신이 며칠째 안 보이세요", "category": "welfare"}
    assert send(client, welfare).status_code == 302  # this category needs no location


def test_contact_details_without_consent_are_refused(client, city):
    response = client.post(REPORT, {**STREETLIGHT, "contact_phone": "010-1234-5678", "action": "preview"})
    assert response.status_code == 400
    assert "연락처는 안내된 수집 목적에 동의하신 경우에만 보관합니다." in page_text(response)
    assert 'id="id_consent_error"' in response.content.decode()
    assert not Complaint.objects.exists()


def test_contact_details_are_kept_with_the_purpose_shown_in_the_pages_language(client, city):
    english = {**STREETLIGHT, "contact_email": "visitor@example.com", "consent": "on"}
    assert send(client, english, url="/en/complaints/report/").status_code == 302
    case = Complaint.objects.get()
    assert case.language == "en" and case.contact_email == "visitor@example.com"
    assert case.contact_consent_purpose.startswith("We collect your name and contact details only")


def test_the_chosen_categorys_required_questions_must_be_answered(client, city):
    unanswered = {key: value for key, value in STREETLIGHT.items() if key != "q__streetlight__light_state"}
    response = client.post(REPORT, {**unanswered, "action": "preview"})
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["q__streetlight__light_state"]
    # Other categories' required questions (the disabled bay's licence plate) are not asked.
    assert send(client, STREETLIGHT).status_code == 302


def test_every_kind_of_question_is_asked_and_stored_as_its_kind(client, city):
    pothole = Category.objects.get(municipality=city, code="pothole")
    sides = [
        {"key": "road", "name_ko": "차도", "name_en": "Road"},
        {"key": "walk", "name_ko": "인도", "name_en": "Path"},
    ]
    for order, (code, datatype, values) in enumerate(
        [
            ("depth_cm", "number", []),
            ("noticed_at", "datetime", []),
            ("where", "multivaluelist", sides),
            ("details", "text", []),
        ],
        start=2,
    ):
        CategoryQuestion.objects.create(
            category=pothole,
            code=code,
            datatype=datatype,
            order=order,
            values=values,
            description_ko=f"질문 {code}",
            description_en=f"Question {code}",
        )
    html = client.get("/en/complaints/report/").content.decode()
    assert 'type="number" name="q__pothole__depth_cm"' in html
    assert 'type="datetime-local" name="q__pothole__noticed_at"' in html
    assert 'type="checkbox" name="q__pothole__where" value="walk"' in html and "Path" in html

    answers = {
        "q__pothole__size": "medium",
        "q__pothole__depth_cm": "12",
        "q__pothole__noticed_at": "2026-11-20T07:30",
        "q__pothole__where": ["road", "walk"],
        "q__pothole__details": "비 오면 물이 고여요",
    }
    report = {"description": "도로가 깊게 파였어요", "category": "pothole", "address": "시민로 1", **answers}
    assert send(client, report).status_code == 302
    attributes = Complaint.objects.get().attributes
    assert attributes["depth_cm"] == 12 and attributes["where"] == ["road", "walk"]
    assert attributes["noticed_at"].startswith("2026-11-20T07:30:00")
    assert (attributes["size"], attributes["details"]) == ("medium", "비 오면 물이 고여요")


def test_an_oversized_description_is_refused(client, city):
    response = client.post("/en/complaints/report/", {**STREETLIGHT, "description": "가" * 4001, "action": "send"})
    assert response.status_code == 400
    assert "Ensure this value has at most 4000 characters (it has 4001)." in page_text(response)
    assert not Complaint.objects.exists()


def test_reports_are_limited_per_client(client, city):
    # A try that files nothing (an empty description) does not use up the client's limit.
    for _ in range(5):
        assert client.post(REPORT, {**STREETLIGHT, "description": "", "action": "send"}).status_code == 400
    for _ in range(5):
        assert send(client, STREETLIGHT).status_code == 302
    refused = send(client, STREETLIGHT, url="/en/complaints/report/")
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 600
    assert "Please try again in 10 minutes." in page_text(refused)
    assert Complaint.objects.count() == 5
    # A header the client writes is no way around it; another client is not affected.
    assert send(client, STREETLIGHT, HTTP_X_FORWARDED_FOR="10.0.0.9").status_code == 429
    assert send(client, STREETLIGHT, REMOTE_ADDR="10.0.0.9").status_code == 302


def test_previews_and_mistakes_do_not_count_against_the_limit(client, city):
    for _ in range(6):
        preview(client, STREETLIGHT)
        client.post(REPORT, {**STREETLIGHT, "description": "", "action": "send"})
    assert send(client, STREETLIGHT).status_code == 302


def test_the_form_is_in_english_on_english_pages(client, city):
    response = client.get("/en/complaints/report/")
    html = response.content.decode()
    assert response.status_code == 200 and '<html lang="en">' in html
    assert '<option value="streetlight">Streetlight out or flickering</option>' in html
    assert "What is the problem?" in html and 'capture="environment"' in html and 'accept="image/*"' in html


def test_a_tourist_files_and_follows_a_case_in_japanese(client, city):
    """A trail marker's "report a problem here" opens the form in the phone's language: the form,
    the receipt and the tracking page stay in Japanese, categories and departments included, the
    categories in the order of their Japanese names."""
    form = client.get("/ja/complaints/report/").content.decode()
    assert '<html lang="ja">' in form and "<h1>問題を通報</h1>" in form
    assert '<option value="streetlight">街路灯・防犯灯の故障</option>' in form
    options = re.findall(r'<option value="[a-z-]+">([^<]+)</option>', form)
    japanese = list(Category.objects.filter(municipality=city).values_list("name_ja", flat=True))
    assert [name for name in options if name in japanese] == sorted(japanese)
    sent = send(client, STREETLIGHT, url="/ja/complaints/report/")
    assert sent.status_code == 302 and sent.url == "/ja/complaints/report/received/"
    receipt = client.get(sent.url)
    assert receipt.status_code == 200 and '<html lang="ja">' in receipt.content.decode()
    assert "道路照明チーム" in receipt.content.decode()
    chinese = client.get("/zh-hans/complaints/report/").content.decode()
    assert '<option value="streetlight">路灯及安全灯故障</option>' in chinese
    case = Complaint.objects.get()
    assert case.language == "ja"
    tracking = client.get(f"/ja/complaints/track/{case.number}/", {"token": receipt.context["token"]})
    assert tracking.status_code == 200 and '<html lang="ja">' in tracking.content.decode()


def test_the_form_works_without_javascript(client, city):
    """Map and location buttons appear only with the script; the address field is always there."""
    html = client.get(REPORT).content.decode()
    assert re.search(r'<div class="map-tools" data-map-tools hidden>', html)
    assert re.search(r'id="report-map" hidden', html)
    assert 'name="address"' in html and 'id="send-actions" hidden' in html
    assert "<script>" not in html  # no inline scripts: data goes through json_script
