"""A data editor of the parks team uploads files in the admin: a file over the limit is refused in
the browser before any of it is sent, a ragged CSV fails with the line to fix while the published
version stays, and a CP949 file loads and is published with its column changes."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from apps.opendata.models import Resource, ResourceVersion
from apps.opendata.services import resource_version_upload, version_ingest
from tests.browser.conftest import axe_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("_orm_beside_playwright"),
]

PASSWORD = "green-parks-2026"


@pytest.fixture
def parks(live_site, make_dataset, django_user_model, eager_celery, settings):
    settings.OPENDATA_MAX_UPLOAD_MB = 1
    dataset = make_dataset("city-parks", title_ko="도시공원 현황", department="parks")
    resource = Resource.objects.create(dataset=dataset, name_ko="공원 목록", format="CSV")
    first = "공원명,면적\n직동근린공원,1200000\n".encode()
    version_ingest(version=resource_version_upload(resource=resource, upload=ContentFile(first, name="parks.csv")))
    editor = django_user_model.objects.create_user("parks-editor", password=PASSWORD)
    # The database is emptied between transactional tests, the migration's group with it.
    editor.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["access_admin", "view_dataset", "change_dataset"],
            content_type__app_label__in=["opendata", "wagtailadmin"],
        )
    )
    dataset.department.staff.add(editor)
    return resource


def test_an_editor_uploads_versions_and_reads_what_went_wrong(live_site, parks, chromium, tmp_path):
    page = chromium.new_context(locale="ko-KR", viewport={"width": 1280, "height": 900}).new_page()
    page.goto(f"{live_site.url}/admin/login/")
    page.locator("#id_username").fill("parks-editor")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("button[type=submit]").click()
    page.goto(f"{live_site.url}/admin/opendata/resources/{parks.pk}/", wait_until="networkidle")
    assert axe_violations(page) == []
    file_input = page.locator("input[type=file]")
    send = page.get_by_role("button", name="올리고 적재하기")

    too_large = tmp_path / "parks.csv"
    too_large.write_bytes(b"a,b\n" + b"1,2\n" * 300_000)  # 1.2 MB against a 1 MB limit
    file_input.set_input_files(str(too_large))
    expect(page.locator("[data-opendata-too-large]")).to_be_visible()
    send.click()
    expect(page.locator("[data-opendata-too-large]")).to_be_visible()
    assert ResourceVersion.objects.filter(resource=parks).count() == 1  # nothing was sent

    ragged = tmp_path / "ragged.csv"
    ragged.write_bytes("공원명,면적\n직동근린공원,1200000,비고\n".encode())
    file_input.set_input_files(str(ragged))
    expect(page.locator("[data-opendata-too-large]")).to_be_hidden()
    send.click()
    page.wait_for_load_state("networkidle")
    history = page.locator(".opendata-table")
    expect(history).to_contain_text("2번째 줄은 3칸이고 머리글은 2칸입니다")
    parks.refresh_from_db()
    assert parks.current_version.number == 1

    renamed = tmp_path / "parks-2025.csv"
    renamed.write_bytes("공원이름,면적\n직동근린공원,1200000\n발곡근린공원,85000\n".encode("cp949"))
    page.locator("input[type=file]").set_input_files(str(renamed))
    page.get_by_role("button", name="올리고 적재하기").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator(".opendata-table tbody tr").first).to_contain_text("게시 중")
    expect(page.locator(".opendata-table tbody tr").first).to_contain_text("공원명 → 공원이름")
    parks.refresh_from_db()
    assert parks.current_version.number == 3 and parks.current_version.encoding == "cp949"
    assert parks.current_version.row_count == 2
    assert axe_violations(page) == []
