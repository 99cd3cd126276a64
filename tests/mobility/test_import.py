"""The national standard file (전국주차장정보표준데이터) and the KOTSA API answers merged into the
city's car parks: bad rows reported by line, a second import changing nothing, one car park over
several sources with the source of each field kept."""

import pytest
from django.core.management import call_command

from apps.mobility import services
from apps.mobility.models import CarPark, CarParkSource
from apps.mobility.sources import STANDARD_COLUMNS
from apps.places.models import Place
from tests.mobility.conftest import recorded

CITY_FILE = "data/opendata/public-parking-lots.csv"
OPERATION_FIELDS = (
    "weekday_opens",
    "weekday_closes",
    "saturday_opens",
    "saturday_closes",
    "base_minutes",
    "base_fee",
    "extra_unit_minutes",
    "extra_unit_fee",
    "daily_max_fee",
)


def standard_csv(*rows: dict, columns=STANDARD_COLUMNS) -> str:
    def cell(value: str) -> str:
        return f'"{value}"' if "," in value else value

    lines = [",".join(columns)]
    lines += [",".join(cell(str(row.get(column, ""))) for column in columns) for row in rows]
    return "\r\n".join(lines) + "\r\n"


GOOD = {
    "주차장관리번호": "999-001-1",
    "주차장명": "시험 공영주차장",
    "주차장구분": "공영",
    "주차장유형": "노외",
    "소재지도로명주소": "경기도 의정부시 시민로 1",
    "주차구획수": "1,200",
    "평일운영시작시각": "09:00",
    "평일운영종료시각": "21:00",
    "요금정보": "유료",
    "주차기본시간": "30",
    "주차기본요금": "600",
    "결제방법": "현금, 카드",
    "위도": "37.7400",
    "경도": "127.0400",
    "장애인전용주차구역보유여부": "N",
}


def test_the_city_file_is_loaded_with_every_car_park_as_a_place(city):
    car_parks = CarPark.objects.filter(municipality=city).select_related("place")
    assert car_parks.count() == 58
    # The figure the issue quotes for the Facilities Management Corporation's lots.
    assert sum(car_park.spaces_total for car_park in car_parks) == 4802
    east = car_parks.get(stable_id="366-001-1")
    assert (east.name_ko, east.kind, east.base_minutes, east.base_fee, east.daily_max_fee) == (
        "의정부역 동부 공영주차장",
        CarPark.Kind.PUBLIC,
        30,
        600,
        12000,
    )
    assert east.payment_methods == "현금, 카드, 모바일 앱"
    assert (east.place.kind, east.place.latitude, east.place.owner) == (Place.Kind.FACILITY, 37.7388, east)
    assert east.field_sources["base_fee"] == "standard-file"
    # 행복로: no hours given for holidays, so it is closed (and free) then.
    assert CarPark.objects.get(stable_id="366-004-1").holiday_opens is None


def test_a_cp949_file_loads_its_good_rows_and_reports_the_bad_ones_by_line(city):
    rows = [
        GOOD,
        {**GOOD, "주차장관리번호": "999-002-1", "위도": "127.04", "경도": "37.74"},  # swapped
        {**GOOD, "주차장관리번호": "999-003-1", "주차구획수": "많음"},
        {**GOOD, "주차장관리번호": ""},
        {**GOOD, "주차장관리번호": "999-005-1", "평일운영시작시각": "25:00"},
        {**GOOD, "주차장관리번호": "999-006-1", "주차기본요금": "-600"},
        GOOD,  # the same id again
        {**GOOD, "주차장관리번호": "999-008-1", "주차장명": "둘째 시험\x07주차장", "요금정보": "무료"},
        {**GOOD, "주차장관리번호": "999-009-1", "소재지도로명주소": "경기도 양주시 부흥로 1"},  # another city's
    ]
    report = services.car_parks_import(city, standard_csv(*rows).encode("cp949"))

    assert [(problem.line, problem.reason) for problem in report.problems] == [
        (3, "위도 is outside Korea: 127.04"),
        (4, "주차구획수 is not a number: 많음"),
        (5, "주차장관리번호 is empty"),
        (6, "평일운영시작시각 is not a time of day: 25:00"),
        (7, "주차기본요금 is not a plausible count: -600"),
        (8, "주차장관리번호 999-001-1 repeats line 2"),
    ]
    assert (report.created, report.updated, report.unchanged, report.other_cities) == (2, 0, 0, 1)
    loaded = CarPark.objects.get(stable_id="999-001-1")
    assert (loaded.spaces_total, loaded.weekday_closes.hour, loaded.saturday_opens) == (1200, 21, None)
    assert CarPark.objects.get(stable_id="999-008-1").name_ko == "둘째 시험 주차장"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig"])
def test_utf8_files_with_or_without_bom_are_read_alike(city, encoding):
    report = services.car_parks_import(city, standard_csv(GOOD).encode(encoding))
    assert (report.created, report.problems) == (1, [])
    assert CarPark.objects.get(stable_id="999-001-1").name_ko == "시험 공영주차장"


def test_a_file_without_the_standard_columns_is_refused_as_a_whole(city):
    report = services.car_parks_import(city, b"id,name\n1,x\n")
    assert [(problem.line, problem.reason) for problem in report.problems] == [
        (1, "Columns missing: 주차장관리번호, 주차장명, 주차구획수, 위도, 경도")
    ]


def test_importing_the_same_file_again_changes_nothing(city, capsys):
    before = {row["id"]: row for row in CarPark.objects.values()}
    fetched = dict(CarParkSource.objects.values_list("pk", "fetched_at"))

    call_command("import_car_parks", CITY_FILE)

    printed = capsys.readouterr().out
    assert "0 car parks added, 0 updated, 58 unchanged, 0 rows refused, 0 of other cities left" in printed
    assert {row["id"]: row for row in CarPark.objects.values()} == before
    assert dict(CarParkSource.objects.values_list("pk", "fetched_at")) == fetched


def test_kotsa_records_merge_into_the_standard_file_car_park_by_name_and_position(city, station_east):
    facility = services.kotsa_import(city, recorded("PrkSttusInfo"), source=CarParkSource.Source.KOTSA_FACILITY)
    operation = services.kotsa_import(city, recorded("PrkOprInfo"), source=CarParkSource.Source.KOTSA_OPERATION)

    assert [(problem.line, problem.reason) for problem in facility.problems] == [(3, "prk_center_id is empty")]
    # 덕정역 is in 양주시: it and its operation record are left out.
    assert (facility.created, facility.other_cities, operation.problems, operation.other_cities) == (1, 1, [], 1)
    assert not CarPark.objects.filter(name_ko="덕정역 공영주차장").exists()
    station_east.refresh_from_db()
    # Same car park: the standard file's 160 spaces and ₩600 win over KOTSA's 162 and ₩700...
    assert {record.source for record in station_east.sources.all()} == {
        "standard-file",
        "kotsa-facility",
        "kotsa-operation",
    }
    assert (station_east.spaces_total, station_east.base_fee) == (160, 600)
    # ...and what KOTSA said is kept as it said it.
    kotsa = station_east.sources.get(source="kotsa-operation")
    assert (kotsa.source_id, kotsa.fields["base_fee"], kotsa.raw["basic_info"]["parking_chrge_bs_chrge"]) == (
        "11680-11905-00012-00-1",
        700,
        "700",
    )
    # A car park only KOTSA knows is made from its two records, each field from the one that gave it.
    hoeryong = CarPark.objects.get(stable_id="kotsa-facility:11680-11905-00099-00-1")
    assert (hoeryong.name_ko, hoeryong.spaces_total, hoeryong.base_fee, hoeryong.daily_max_fee) == (
        "회룡역 환승주차장",
        85,
        1000,
        5000,
    )
    assert (hoeryong.weekday_opens.hour, hoeryong.holiday_opens) == (7, None)
    assert hoeryong.field_sources == {
        "name_ko": "kotsa-facility",
        "address_road": "kotsa-facility",
        "spaces_total": "kotsa-facility",
        **dict.fromkeys(OPERATION_FIELDS, "kotsa-operation"),
        "latitude": "kotsa-facility",
        "longitude": "kotsa-facility",
    }
    # The same answers again change nothing.
    again = services.kotsa_import(city, recorded("PrkSttusInfo"), source=CarParkSource.Source.KOTSA_FACILITY)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_a_changed_row_updates_the_car_park_but_keeps_what_staff_set(city):
    services.car_parks_import(city, standard_csv(GOOD).encode())
    CarPark.objects.filter(stable_id="999-001-1").update(kind=CarPark.Kind.OPENED, discount_ev=50)

    report = services.car_parks_import(city, standard_csv({**GOOD, "주차기본요금": "800", "위도": "37.7410"}).encode())

    assert (report.created, report.updated, report.unchanged) == (0, 1, 0)
    car_park = CarPark.objects.select_related("place").get(stable_id="999-001-1")
    assert (car_park.base_fee, car_park.place.latitude) == (800, 37.741)
    assert (car_park.kind, car_park.discount_ev) == (CarPark.Kind.OPENED, 50)
