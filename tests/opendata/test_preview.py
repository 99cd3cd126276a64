import pytest

from apps.opendata.preview import default_label_column, default_value_column


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["주차장관리번호", "주차장명", "주차구획수"], "주차장명"),  # a name beats a code that comes first
        (["id", "district", "count"], "district"),  # no name column: the first text that is not a code
        (["행정동", "인구_2023"], "행정동"),
        (["관리번호", "면적"], "관리번호"),  # only codes: a code still labels the bars
    ],
)
def test_bars_are_labelled_by_a_name_rather_than_a_code(names, expected):
    numeric = {"주차구획수", "count", "인구_2023", "면적"}
    fields = [{"name": name, "type": "integer" if name in numeric else "string"} for name in names]

    assert default_label_column(fields) == expected


def test_bars_measure_a_quantity_rather_than_a_numbered_code():
    assert default_value_column(["코스번호", "길이_km", "방문자_2022"]) == "길이_km"
    assert default_value_column(["번호"]) == "번호"
    assert default_value_column([]) is None
