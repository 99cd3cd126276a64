from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image

from apps.complaints import services
from apps.complaints.models import Category, Complaint, Photo
from apps.complaints.services import ComplaintError, cases
from tests.complaints.photo_files import GPS_IFD, bomb_png, not_a_picture, oversized_photo, phone_photo

CITY_HALL = {"latitude": 37.7381, "longitude": 127.0337}


@pytest.fixture
def pothole(city):
    return Category.objects.get(municipality=city, code="pothole")


@pytest.fixture
def bot(city):
    return services.api_client_create(municipality=city, name="민원 챗봇")


def submit(category, **fields):
    fields = {"description": "도로에 포트홀이 깊게 파였어요", "channel": "web", **CITY_HALL, **fields}
    return services.complaint_submit(category=category, **fields)


def stored_files(settings) -> list:
    root = settings.PRIVATE_MEDIA_ROOT
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def test_a_stored_photo_keeps_no_exif_and_is_turned_upright(pothole):
    # Orientation 6: the camera was held on its side; the stored picture is turned, not flagged.
    case = submit(pothole, photo_uploads=[phone_photo(size=(640, 480), orientation=6)]).complaint
    photo = case.photos.get()
    with photo.image.open("rb") as handle, Image.open(handle) as stored:
        assert stored.format == "JPEG"
        assert stored.size == (480, 640)
        exif = stored.getexif()
        assert not exif.get_ifd(GPS_IFD)
        assert not exif
        assert "exif" not in stored.info
    assert (photo.width, photo.height) == (480, 640)
    assert photo.municipality == case.municipality


def test_large_photos_are_stored_no_larger_than_a_screen_needs(pothole):
    photo = submit(pothole, photo_uploads=[phone_photo(size=(4000, 3000))]).complaint.photos.get()
    assert (photo.width, photo.height) == (2560, 1920)


@pytest.mark.parametrize(
    ("uploads", "code"),
    [
        ([not_a_picture()], "photo_type"),
        ([bomb_png()], "photo_too_large"),
        ([oversized_photo()], "photo_too_large"),
        ([phone_photo(f"{n}.jpg") for n in range(6)], "photo_count"),
        ([phone_photo(), not_a_picture("second.jpg")], "photo_type"),
    ],
)
def test_a_bad_photo_refuses_the_whole_report_and_stores_nothing(pothole, settings, uploads, code):
    with pytest.raises(ComplaintError) as refused:
        submit(pothole, photo_uploads=uploads)
    assert refused.value.code == code
    assert not Complaint.objects.exists()
    assert not Photo.objects.exists()
    assert stored_files(settings) == []


def test_photo_errors_are_in_the_reporters_language(pothole):
    from django.utils import translation

    with translation.override("ko"), pytest.raises(ComplaintError) as refused:
        submit(pothole, photo_uploads=[not_a_picture("a.jpg")])
    assert refused.value.messages == ["a.jpg은(는) 사진 파일이 아니거나 손상되었습니다."]


def test_a_failed_submission_removes_the_files_it_wrote(pothole, settings, monkeypatch):
    def broken(event):  # the last step of the filing's transaction, after its photo rows
        raise RuntimeError("database went away")

    monkeypatch.setattr(cases, "_notifications_queue", broken)
    with pytest.raises(RuntimeError):
        submit(pothole, photo_uploads=[phone_photo(), phone_photo("b.jpg")])
    assert not Photo.objects.exists()
    assert stored_files(settings) == []


def test_the_bot_uploads_photos_first_and_files_the_case_with_their_ids(client, pothole, bot):
    client_row, key = bot
    auth = {"HTTP_AUTHORIZATION": f"Token {key}"}
    ids = [
        client.post("/api/v1/complaints/photos/", {"file": phone_photo(f"{n}.jpg")}, **auth).json()["id"]
        for n in range(2)
    ]
    assert Photo.objects.filter(complaint__isnull=True, uploaded_by=client_row).count() == 2
    response = client.post(
        "/api/v1/complaints/",
        {"category": "pothole", "description": "큰 구멍이 있어요", **CITY_HALL, "photos": ids},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 201, response.json()
    case = Complaint.objects.get(number=response.json()["number"])
    assert sorted(str(photo.uuid) for photo in case.photos.all()) == sorted(ids)


def test_a_photo_cannot_be_filed_twice_or_by_another_client(client, pothole, bot, city):
    _, key = bot
    _, other_key = services.api_client_create(municipality=city, name="partner app")
    photo_id = client.post(
        "/api/v1/complaints/photos/", {"file": phone_photo()}, HTTP_AUTHORIZATION=f"Token {key}"
    ).json()["id"]
    body = {"category": "pothole", "description": "구멍", **CITY_HALL, "photos": [photo_id]}
    stolen = client.post(
        "/api/v1/complaints/", body, content_type="application/json", HTTP_AUTHORIZATION=f"Token {other_key}"
    )
    assert stolen.status_code == 400
    assert stolen.json()["code"] == "photo_unknown"
    first = client.post("/api/v1/complaints/", body, content_type="application/json", HTTP_AUTHORIZATION=f"Token {key}")
    again = client.post("/api/v1/complaints/", body, content_type="application/json", HTTP_AUTHORIZATION=f"Token {key}")
    assert (first.status_code, again.status_code) == (201, 400)
    assert Complaint.objects.count() == 1


@pytest.mark.parametrize(
    ("upload", "status"),
    [(not_a_picture(), 400), (bomb_png(), 400), (None, 400)],
)
def test_photo_upload_refuses_what_is_not_a_usable_picture(client, bot, upload, status):
    data = {"file": upload} if upload else {}
    response = client.post("/api/v1/complaints/photos/", data, HTTP_AUTHORIZATION=f"Token {bot[1]}")
    assert response.status_code == status
    assert not Photo.objects.exists()


def test_photo_upload_needs_an_api_key(client, city):
    assert client.post("/api/v1/complaints/photos/", {"file": phone_photo()}).status_code in (401, 403)
    assert not Photo.objects.exists()


def test_photos_never_filed_are_deleted_after_a_day(client, pothole, bot, settings):
    auth = {"HTTP_AUTHORIZATION": f"Token {bot[1]}"}
    old, fresh = (
        client.post("/api/v1/complaints/photos/", {"file": phone_photo()}, **auth).json()["id"] for _ in range(2)
    )
    Photo.objects.filter(uuid=old).update(uploaded_at=timezone.now() - timedelta(days=2))
    attached = submit(pothole, photo_uploads=[phone_photo()]).complaint.photos.get()
    Photo.objects.filter(pk=attached.pk).update(uploaded_at=timezone.now() - timedelta(days=30))
    assert services.photos_delete_unattached() == 1
    assert set(Photo.objects.values_list("uuid", flat=True).iterator()) == {
        attached.uuid,
        Photo.objects.get(uuid=fresh).uuid,
    }
    assert len(stored_files(settings)) == 2


def test_a_photo_is_shown_only_to_those_who_may_see_its_case(client, city, django_user_model):
    public = Category.objects.get(municipality=city, code="pothole")
    private = Category.objects.filter(municipality=city, public_by_default=False, needs_location=False).first()
    public_photo = submit(public, photo_uploads=[phone_photo()]).complaint.photos.get()
    private_case = submit(private, photo_uploads=[phone_photo()]).complaint
    private_photo = private_case.photos.get()
    url = "/complaints/photos/{}.jpg"

    response = client.get(url.format(public_photo.uuid))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert client.get(url.format(private_photo.uuid)).status_code == 404

    member = django_user_model.objects.create_user("welfare", password="x")
    private_case.department.staff.add(member)
    outsider = django_user_model.objects.create_user("roads", password="x")
    client.force_login(outsider)
    assert client.get(url.format(private_photo.uuid)).status_code == 404
    client.force_login(member)
    assert client.get(url.format(private_photo.uuid)).status_code == 200
