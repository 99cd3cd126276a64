"""Row queries on Korean column names, on whichever database the suite runs against."""

import pytest

from apps.opendata.selectors import DatastoreQueryError, datastore_query
from tests.opendata.test_row_api import publish_table

FIELDS = [
    {"name": "주차장명", "type": "string"},
    {"name": "주차__면수", "type": "integer"},  # "__" is a Django lookup separator, not a key path here
    {"name": "요금", "type": "number"},
]
ROWS = [
    {"주차장명": "의정부역 동부", "주차__면수": 120, "요금": 500.5},
    {"주차장명": "호원동", "주차__면수": 9, "요금": ""},
    {"주차장명": "녹양역", "주차__면수": 45, "요금": 300},
]


@pytest.fixture
def version(make_dataset):
    return publish_table(make_dataset("parking"), ROWS, FIELDS).current_version


def test_filters_match_korean_columns_as_typed_values(version):
    page = datastore_query(version=version, filters={"주차장명": "호원동"})
    assert [row["주차__면수"] for row in page.rows] == [9]

    page = datastore_query(version=version, filters={"주차__면수": ["45", 120]})
    assert sorted(row["주차장명"] for row in page.rows) == ["녹양역", "의정부역 동부"]
    assert page.total == 2


def test_numeric_sort_is_by_number_with_empty_cells_last(version):
    by_spaces = datastore_query(version=version, sort=[("주차__면수", False)])
    assert [row["주차__면수"] for row in by_spaces.rows] == [9, 45, 120]  # 9 < 45 as numbers, not as text

    by_fee = datastore_query(version=version, sort=[("요금", True)])
    assert [row["주차장명"] for row in by_fee.rows] == ["의정부역 동부", "녹양역", "호원동"]


def test_text_search_finds_korean_inside_cells_and_unknown_columns_are_named(version):
    assert [row["주차장명"] for row in datastore_query(version=version, q="양역").rows] == ["녹양역"]
    with pytest.raises(DatastoreQueryError) as error:
        datastore_query(version=version, sort=[("주차면수", False)])
    assert str(error.value) == "주차면수"
