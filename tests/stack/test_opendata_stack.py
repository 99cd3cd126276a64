"""The data catalogue in the running product: the demo datasets set-up loaded, served through
the CKAN API, and a new file version loaded by the real Celery worker."""

import time

import pytest
import requests
from ckanapi import RemoteCKAN

from tests.stack.publish import upload_version_code

pytestmark = pytest.mark.stack


def test_set_up_publishes_the_demo_datasets_to_ckan_clients(stack):
    ckan = RemoteCKAN(stack.url)

    found = ckan.action.package_search(q="정류장", facet="true", **{"facet.field": '["organization"]'})

    assert "bus-stops" in [package["name"] for package in found["results"]]
    parking = ckan.action.package_show(id="public-parking-lots")
    rows = ckan.action.datastore_search(resource_id=parking["resources"][0]["id"], limit=100)
    assert rows["total"] == 58  # the city's 58 public car parks, read from a CP949 file


def test_a_new_version_is_loaded_by_the_worker_and_the_old_one_stays_downloadable(stack):
    content = "행정동,인구_2024\n의정부1동,37500\n호원1동,29000\n".encode("cp949")
    printed = stack.manage("shell", "-c", upload_version_code("population-by-dong", content)).stdout.split()
    resource_id, number = printed[-2], int(printed[-1])

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        result = requests.get(
            f"{stack.url}/api/3/action/datastore_search", params={"resource_id": resource_id}, timeout=10
        ).json()["result"]
        if result["total"] == 2:
            break
        time.sleep(1)
    else:
        pytest.fail(
            f"the worker did not publish version {number} within 60 s; log tail:\n{stack.log.read_text()[-3000:]}"
        )

    assert [field["id"] for field in result["fields"]] == ["_id", "행정동", "인구_2024"]
    assert {record["행정동"]: record["인구_2024"] for record in result["records"]} == {
        "의정부1동": 37500,
        "호원1동": 29000,
    }
    previous = requests.get(f"{stack.url}/open-data/files/{resource_id}/v{number - 1}/", timeout=10)
    assert previous.status_code == 200
    assert "인구_2019" in previous.content.decode("utf-8-sig")
