"""The real ckanapi client against the portal over HTTP: what CKAN tools and scripts run."""

import pytest
from ckanapi import RemoteCKAN
from ckanapi.errors import CKANAPIError, NotFound, SearchQueryError, ValidationError

from tests.opendata.test_row_api import publish_table

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def ckan(live_server, make_dataset):
    parking = make_dataset(
        "public-parking", title_ko="의정부시 공영주차장 현황", keywords=("주차", "교통"), update_cycle="monthly"
    )
    publish_table(parking)
    make_dataset("bus-stops", title_ko="버스정류장 위치", keywords=("교통",))
    make_dataset("parks", title_ko="도시공원 현황", department="parks", category="environment")
    with RemoteCKAN(live_server.url, user_agent="portal-tests") as remote:
        yield remote


def test_package_search_and_show(ckan):
    # 정류장 sits inside 버스정류장: found although it is not a word of its own.
    found = ckan.action.package_search(q="정류장", rows=5)
    assert found["count"] == 1 and found["results"][0]["name"] == "bus-stops"

    result = ckan.call_action(
        "package_search",
        {"fq": 'tags:"교통" organization:big-data', "facet.field": ["tags", "organization"], "rows": 1000},
    )
    assert sorted(package["name"] for package in result["results"]) == ["bus-stops", "public-parking"]
    assert result["facets"]["tags"] == {"교통": 2, "주차": 1}
    assert result["search_facets"]["organization"]["items"][0]["count"] == 2

    package = ckan.action.package_show(id="public-parking", include_datasets=False, include_users=False)
    assert package["title"] == "의정부시 공영주차장 현황"
    assert package["resources"][0]["datastore_active"] is True
    assert ckan.action.package_list() == ["bus-stops", "parks", "public-parking"]


def test_datastore_search(ckan):
    resource_id = ckan.action.package_show(id="public-parking")["resources"][0]["id"]

    result = ckan.action.datastore_search(
        resource_id=resource_id, filters={"구분": "민영"}, sort="주차면수 desc", fields=["주차장명", "주차면수"]
    )

    assert result["total"] == 2
    assert [record["주차장명"] for record in result["records"]] == ["신세계백화점 주차장", "민락동 민영주차장"]
    assert [field["id"] for field in result["fields"]] == ["_id", "주차장명", "주차면수"]


def test_errors_come_back_as_ckanapi_exceptions(ckan):
    with pytest.raises(NotFound):
        ckan.action.package_show(id="no-such-dataset")
    with pytest.raises(ValidationError) as error:
        ckan.action.package_search(sort="popularity desc")
    assert "sort" in error.value.error_dict
    with pytest.raises(SearchQueryError):
        ckan.action.package_search(fq="colour:red")
    resource_id = ckan.action.package_show(id="public-parking")["resources"][0]["id"]
    with pytest.raises(ValidationError) as error:
        ckan.action.datastore_search(resource_id=resource_id, filters={"주소": "의정부동"})
    assert "주소" in error.value.error_dict["filters"][0]
    with pytest.raises(CKANAPIError):
        ckan.action.package_create(name="new")


def test_get_only_clients_send_repeated_keys(live_server, make_dataset):
    make_dataset("bus-stops", keywords=("교통",))
    with RemoteCKAN(live_server.url, get_only=True) as remote:
        result = remote.action.package_search(q="bus", **{"facet.field": ["tags", "organization"]})

    assert result["count"] == 1 and result["facets"]["tags"] == {"교통": 1}
