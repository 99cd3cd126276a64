import pytest

from apps.complaints.models import Photo


@pytest.mark.parametrize(
    ("path", "expected_type"),
    [("/api/v1/complaints/photos/", "application/json"), ("/ko/complaints/report/", "text/plain; charset=utf-8")],
)
def test_a_body_too_large_is_refused_before_it_is_read(client, city, path, expected_type):
    response = client.post(
        path,
        data=b"x",
        content_type="application/octet-stream",
        CONTENT_LENGTH=str(2 * 1024**3),
        HTTP_ACCEPT_LANGUAGE="ko",
    )
    assert response.status_code == 413
    assert response["Content-Type"] == expected_type
    message = response.json()["detail"] if expected_type == "application/json" else response.content.decode()
    assert "너무 큽니다" in message
    assert not Photo.objects.exists()


def test_editors_may_send_larger_files_to_the_admin(client, db, settings):
    settings.MAX_REQUEST_BYTES = 10
    response = client.post("/admin/login/", {"username": "nobody", "password": "long enough"})
    assert response.status_code == 200
