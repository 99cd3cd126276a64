"""Photos sent from the chat widget: stored for the chatbot's API client, without their EXIF."""

import pytest
from PIL import Image

from apps.chat import services
from apps.chat.ids import conversation_id_sign
from apps.chat.views import PHOTO_LIMITS
from apps.complaints import services as complaint_services
from apps.complaints.models import Photo
from tests.complaints.photo_files import GPS_IFD, not_a_picture, phone_photo

UPLOAD = "/chat/photos/"


@pytest.fixture
def conversation(city):
    return services.conversation_start(municipality=city, language="ko")


@pytest.fixture
def chatbot(city, settings):
    client, _ = complaint_services.api_client_create(municipality=city, name=settings.CHATBOT_API_CLIENT_NAME)
    return client


def upload(client, conversation, photo, **fields):
    return client.post(UPLOAD, {"file": photo, "conversation": conversation_id_sign(conversation.uuid), **fields})


def test_a_photo_is_stored_for_the_chatbot_without_its_exif(client, conversation, chatbot):
    response = upload(client, conversation, phone_photo())
    assert response.status_code == 201
    photo = Photo.objects.get(uuid=response.json()["id"])
    assert photo.uploaded_by == chatbot and photo.complaint is None
    with photo.image.open("rb") as handle, Image.open(handle) as stored:
        assert stored.format == "JPEG"
        assert not stored.getexif().get_ifd(GPS_IFD) and "exif" not in stored.info


def test_something_that_is_not_a_picture_is_refused_in_the_residents_language(client, conversation, chatbot):
    response = upload(client, conversation, not_a_picture("receipt.jpg"), language="en")
    assert response.status_code == 400
    assert response.json() == {"code": "photo_type", "message": "receipt.jpg is not a picture or is damaged."}
    assert not Photo.objects.exists()


def test_without_a_valid_conversation_nothing_is_stored(client, conversation, chatbot):
    for signed in ("", str(conversation.uuid), conversation_id_sign(conversation.uuid) + "x"):
        response = client.post(UPLOAD, {"file": phone_photo(), "conversation": signed, "language": "en"})
        assert response.status_code == 400
        assert response.json()["code"] == "bad_request"
    assert not Photo.objects.exists()


def test_without_the_chatbots_api_client_the_upload_says_so(client, conversation, settings):
    response = upload(client, conversation, phone_photo(), language="en")
    assert response.status_code == 503
    assert response.json() == {
        "code": "bot_down",
        "message": "Photos cannot be received in the chat right now. Please use the report form.",
    }


def test_an_inactive_chatbot_client_takes_no_photos(client, conversation, chatbot):
    chatbot.is_active = False
    chatbot.save()
    assert upload(client, conversation, phone_photo()).status_code == 503


def test_a_missing_file_is_refused(client, conversation, chatbot):
    response = client.post(UPLOAD, {"conversation": conversation_id_sign(conversation.uuid), "language": "en"})
    assert response.status_code == 400 and response.json()["message"] == "Choose a photo to send."


def test_only_a_post_is_taken(client):
    assert client.get(UPLOAD).status_code == 405


def test_one_address_may_send_only_so_many_photos(client, conversation, chatbot):
    for _ in range(PHOTO_LIMITS[0].count):
        assert upload(client, conversation, phone_photo(size=(64, 48))).status_code == 201
    response = upload(client, conversation, phone_photo(size=(64, 48)), language="en")
    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited" and int(response["Retry-After"]) > 0
    assert Photo.objects.count() == PHOTO_LIMITS[0].count
