import csv

import pytest
from django.core.management import call_command
from django.utils import timezone

from apps.complaints import services
from apps.complaints.exports import COLUMNS, complaints_export_write
from apps.complaints.models import Category
from apps.complaints.services import Contact


@pytest.fixture
def filed(city):
    pothole = Category.objects.get(municipality=city, code="pothole")
    welfare = Category.objects.get(municipality=city, code="welfare")
    contact = Contact(name="김민원", phone="010-1234-5678", email="kim@example.kr", consented=True)
    public = services.complaint_submit(
        category=pothole,
        description="호원동 123 앞 도로가 깨졌어요. 010-1234-5678",
        channel="web",
        latitude=37.7181234,
        longitude=127.0456789,
        address="의정부시 호원1동 123-4",
        contact=contact,
    ).complaint
    private = services.complaint_submit(
        category=welfare,
        description="옆집 어르신이 며칠째 안 보이세요",
        channel="web",
        latitude=37.7381,
        longitude=127.0337,
        address="금오동 어딘가",
    ).complaint
    return public, private


def read(path):
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_export_has_no_personal_data_and_rounds_locations(filed, settings):
    public, private = filed
    path = complaints_export_write(municipality=public.municipality, today=timezone.localdate())
    assert path.read_bytes().startswith("\ufeff".encode())  # Excel reads the Korean
    rows = {row["number"]: row for row in read(path)}
    assert list(rows[public.number]) == COLUMNS
    assert rows[public.number] | {} == {
        "number": public.number,
        "category": "pothole",
        "category_name": "도로 파손·포트홀",
        "department": public.department.code,
        "department_name": public.department.name_ko,
        "status": "received",
        "dong": "호원1동",
        "latitude": "37.718",
        "longitude": "127.046",
        "received_date": timezone.localdate().isoformat(),
        "due_date": public.due_date.isoformat(),
        "answered_date": "",
    }
    # A case of a category the city does not publish: its dong, never its position.
    assert (rows[private.number]["dong"], rows[private.number]["latitude"], rows[private.number]["longitude"]) == (
        "자금동",
        "",
        "",
    )
    text = path.read_text(encoding="utf-8-sig")
    for personal in ("김민원", "1234-5678", "kim@example.kr", "123-4", "어르신", "37.7181234"):
        assert personal not in text


def test_the_latest_file_is_replaced_whole_and_old_days_are_kept_for_a_month(filed, settings):
    city = filed[0].municipality
    directory = settings.MEDIA_ROOT / "opendata" / city.code
    directory.mkdir(parents=True)
    for day in range(1, 32):
        (directory / f"complaints-2026-10-{day:02d}.csv").write_text("old")
    call_command("export_complaints", verbosity=0)
    latest = directory / "complaints-latest.csv"
    today = directory / f"complaints-{timezone.localdate().isoformat()}.csv"
    assert latest.read_bytes() == today.read_bytes()
    assert len(read(latest)) == 2
    assert len(list(directory.glob("complaints-????-??-??.csv"))) == 30
    assert not list(directory.glob("*.part"))


def test_the_export_is_published_under_media(client, filed, settings):
    complaints_export_write(municipality=filed[0].municipality, today=timezone.localdate())
    response = client.get("/media/opendata/uijeongbu/complaints-latest.csv")
    assert response.status_code == 200
    assert b"".join(response).decode("utf-8-sig").startswith(",".join(COLUMNS))
