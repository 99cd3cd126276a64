"""The staff side: the car park listings, the import with its result, and a device token shown once."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile

from apps.common.tokens import token_hash
from apps.mobility.models import SensorDevice
from tests.mobility.test_import import GOOD, standard_csv


def test_an_upload_shows_what_the_import_did_line_by_line(admin_client, city):
    assert admin_client.get("/admin/car-parks/import/").status_code == 200
    upload = SimpleUploadedFile(
        "parking.csv", standard_csv(GOOD, {**GOOD, "주차장관리번호": "999-002-1", "경도": "x"}).encode("cp949")
    )
    answer = admin_client.post("/admin/car-parks/import/", {"municipality": city.pk, "file": upload})
    text = answer.content.decode()
    assert answer.status_code == 200
    # The admin speaks Korean to this staff member.
    assert "1곳 추가, 0곳 수정, 0곳 그대로, 1줄 거부." in text
    assert "<td>3</td><td>경도 값이 숫자가 아닙니다: x</td>" in text


def test_a_new_devices_token_is_shown_once_and_only_its_hash_kept(admin_client, station_east):
    for listing in ("/admin/car_parks/", "/admin/sensor_devices/", "/admin/readings/"):
        assert admin_client.get(listing).status_code == 200, listing
    answer = admin_client.post("/admin/sensor_devices/new/", {"car_park": station_east.pk, "name": "북문 센서"})
    token = re.search(r"<code>([\w-]{40,})</code>", answer.content.decode())[1]
    device = SensorDevice.objects.get(name="북문 센서")
    assert device.token_hash == token_hash(token) and device.car_park == station_east
    assert token not in admin_client.get(f"/admin/sensor_devices/edit/{device.pk}/").content.decode()
