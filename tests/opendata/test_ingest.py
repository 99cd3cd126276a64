"""Reading editors' files: encodings, formats, inferred and given schemas, and every kind of broken
file, each failing with a message the editor can act on."""

import codecs
import io
import json
import os
from datetime import date, datetime

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.opendata import ingest, services
from apps.opendata.models import DatastoreRow, Resource, ResourceVersion

pytestmark = pytest.mark.usefixtures("english_messages")

PARKING_HEADER = "주차장명,주소,면수,요금(원),개방,기준일\n"
PARKING_ROWS = [
    "의정부역 공영주차장,의정부시 평화로 525,120,1000,true,2025-01-31\n",
    "신곡동 노상주차장,의정부시 신곡동 800,35,500.5,false,2025-02-01\n",
    "민락2지구 공영주차장,의정부시 민락로 200,,0,true,2025-03-15\n",
]
PARKING_CSV = PARKING_HEADER + "".join(PARKING_ROWS)


def make_resource(dataset, format: str = "CSV") -> Resource:
    return Resource.objects.create(dataset=dataset, name_ko="주차장 목록", format=format)


def upload(resource: Resource, content: bytes, name: str = "parking.csv", **kwargs) -> ResourceVersion:
    """Stores a version the way the admin does, without the task (the test loads it itself)."""
    return services.resource_version_upload(
        resource=resource, upload=SimpleUploadedFile(name, content), note=kwargs.pop("note", ""), **kwargs
    )


def load(resource: Resource, content: bytes, name: str = "parking.csv", **kwargs) -> ResourceVersion:
    version = upload(resource, content, name, **kwargs)
    return services.version_ingest(version=version)


def rows_of(version: ResourceVersion) -> list[dict]:
    return list(DatastoreRow.objects.filter(version=version).order_by("number").values_list("data", flat=True))


def assert_failed_cleanly(version: ResourceVersion, *words: str) -> None:
    version.refresh_from_db()
    assert version.status == "failed", version.error
    for word in words:
        assert word in version.error, version.error
    assert not DatastoreRow.objects.filter(version=version).exists()
    assert version.resource.current_version_id is None or version.resource.current_version_id != version.pk


# --- Encodings ------------------------------------------------------------------------------


def test_cp949_bytes_are_detected_and_stored_as_utf8(resource):
    assert "주차장".encode("cp949") != "주차장".encode()
    version = load(resource, PARKING_CSV.encode("cp949"))
    assert version.status == "ready", version.error
    assert version.encoding == "cp949"
    assert rows_of(version)[0]["주차장명"] == "의정부역 공영주차장"
    copy = version.utf8_csv.open("rb").read()
    assert copy.startswith(codecs.BOM_UTF8)  # Excel opens it as UTF-8
    assert copy.decode("utf-8-sig").splitlines()[1].startswith("의정부역 공영주차장,")


def test_euc_kr_is_read_as_cp949():
    text = "동,인구\n의정부1동,12000\n"
    assert ingest.detect_encoding(text.encode("euc-kr")) == "cp949"


def test_a_bom_just_works(resource):
    version = load(resource, b"\xef\xbb\xbf" + PARKING_CSV.encode())
    assert version.status == "ready", version.error
    assert version.encoding == "utf-8-sig"
    assert [field["name"] for field in version.schema["fields"]][0] == "주차장명"  # no BOM in the name


def test_a_cp949_file_that_starts_with_plain_ascii_is_still_read_whole(resource):
    # The first 64 KB say nothing about the encoding; the first Korean line decides it.
    ascii_rows = "".join(f"P{n},road {n},{n},100,true,2025-01-01\n" for n in range(8000))
    content = (PARKING_HEADER.replace("주차장명", "name") + ascii_rows).encode() + PARKING_ROWS[0].encode("cp949")
    assert len(content) > ingest.SAMPLE_BYTES
    # The header has Korean in it, in UTF-8: the file mixes encodings after all.
    version = load(resource, content)
    assert_failed_cleanly(version, "Line 8002", "mixes text encodings")
    only_ascii_before = ("name,address,spaces\n" + "".join(f"P{n},road {n},{n}\n" for n in range(8000))).encode()
    version = load(resource, only_ascii_before + "신곡 주차장,신곡동,35\n".encode("cp949"))
    assert version.status == "ready", version.error
    assert version.encoding == "cp949"
    assert rows_of(version)[-1]["name"] == "신곡 주차장"


def test_a_file_that_mixes_encodings_fails_with_the_line(resource):
    rows = "".join(f"주차장{n},의정부시,{n}\n" for n in range(3000))
    content = ("이름,주소,면수\n" + rows).encode() + "신곡동 주차장,의정부시,35\n".encode("cp949")
    version = load(resource, content)
    assert_failed_cleanly(version, "Line 3002", "mixes text encodings")


def test_binary_junk_renamed_csv_is_refused(resource):
    version = load(resource, os.urandom(4096) + b"\x00" * 10)
    assert_failed_cleanly(version, "not a text file")
    high_bytes = bytes(range(0x80, 0x100)) * 40  # no NUL, still no text
    version = load(resource, high_bytes)
    assert_failed_cleanly(version, "encoding could not be recognised")


# --- Broken tables --------------------------------------------------------------------------


def test_ragged_rows_name_the_line_and_the_cell_counts(resource):
    content = "이름,주소,면수\n가,나,1\n다,라\n마,바,3,4\n".encode()
    version = load(resource, content)
    assert_failed_cleanly(version, "2 rows", "Line 3 has 2 cells; the header has 3.")
    assert [(problem["row"], problem["message"]) for problem in version.row_errors] == [
        (3, "Line 3 has 2 cells; the header has 3."),
        (4, "Line 4 has 4 cells; the header has 3."),
    ]


def test_row_errors_stop_at_a_hundred(resource):
    content = ("a,b\n" + "1\n" * 250).encode()
    version = load(resource, content)
    assert_failed_cleanly(version, "250 rows")
    assert len(version.row_errors) == 100


def test_a_header_only_file_has_no_rows(resource):
    version = load(resource, "이름,주소\n".encode())
    assert_failed_cleanly(version, "no rows")


@pytest.mark.parametrize(
    ("header", "words"),
    [
        ("이름,,면수", ["Column 2 has no name"]),
        ("이름,주소,이름", ['"이름" is used twice', "columns 1 and 3"]),
        ("이름, 주소 ,주소", ['"주소" is used twice']),
    ],
)
def test_empty_and_duplicate_column_names_are_refused(resource, header, words):
    version = load(resource, f"{header}\n가,나,1\n".encode())
    assert_failed_cleanly(version, *words)


def test_an_unclosed_quote_is_reported(resource):
    content = 'a,b\n1,2\n3,"open\n' + "x\n" * 10
    assert_failed_cleanly(load(resource, content.encode()), "Line 3 could not be read as CSV", "quotes")
    assert_failed_cleanly(load(resource, b'a,b\n1,"2"3\n'), "Line 2 could not be read as CSV")


def test_upload_checks_refuse_and_write_nothing(resource, settings, monkeypatch):
    settings.OPENDATA_MAX_UPLOAD_MB = 1
    monkeypatch.setattr(services, "JSON_MAX_BYTES", 100)
    for content, name, words in [
        (b"", "empty.csv", "empty"),
        (b"a,b\n1,2\n", "parking.xlsx", "takes .csv, .txt files"),
        (b"x" * (1024 * 1024 + 1), "big.csv", "at most 1.0"),
    ]:
        with pytest.raises(services.OpenDataError) as refused:
            upload(resource, content, name)
        assert words in refused.value.messages[0]
    with pytest.raises(services.OpenDataError, match="no name"):
        upload(resource, b"a\n1\n", schema={"fields": [{"type": "integer"}]})
    with pytest.raises(services.OpenDataError, match="types that can be loaded"):
        upload(resource, b"a\n1\n", schema={"fields": [{"name": "a", "type": "geopoint"}]})
    parks = make_resource(resource.dataset, "JSON")
    with pytest.raises(services.OpenDataError, match="publish a larger table as CSV"):
        upload(parks, json.dumps([{"공원명": "직동근린공원"}] * 10).encode(), "parks.json")
    api = Resource.objects.create(dataset=resource.dataset, name_ko="API", kind="api", format="API")
    with pytest.raises(services.OpenDataError, match="link to an API"):
        upload(api, b"a\n1\n")
    assert not ResourceVersion.objects.exists()


# --- Schemas --------------------------------------------------------------------------------


def test_types_are_inferred_and_values_typed(resource):
    version = load(resource, PARKING_CSV.encode())
    assert version.status == "ready", version.error
    types = {field["name"]: field["type"] for field in version.schema["fields"]}
    assert types == {
        "주차장명": "string",
        "주소": "string",
        "면수": "integer",
        "요금(원)": "number",
        "개방": "boolean",
        "기준일": "date",
    }
    first, second, third = rows_of(version)
    assert first == {
        "주차장명": "의정부역 공영주차장",
        "주소": "의정부시 평화로 525",
        "면수": 120,
        "요금(원)": 1000.0,
        "개방": True,
        "기준일": "2025-01-31",
    }
    assert second["요금(원)"] == 500.5 and second["개방"] is False
    assert "면수" not in third  # an empty cell is left out
    assert version.schema_valid and version.row_count == 3 and version.bytes_read == version.size


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["1", "2", "-3"], "integer"),
        (["1", "2.5"], "number"),
        (["1", "1e3"], "number"),
        (["01012345678", "2"], "string"),  # a leading zero is a code
        (["1234567890123456"], "string"),  # too long to be a quantity
        (["2025-01-31", "2024-02-29"], "date"),
        (["2025-02-30"], "string"),
        (["2025-01-31 09:30", "2025-01-31T09:30:15+09:00"], "datetime"),
        (["2025-01-31", "2025-01-31 09:30"], "string"),
        (["true", "FALSE"], "boolean"),
        (["true", "1"], "string"),
        (["", " "], "string"),
        (["1", "", "x"], "string"),
    ],
)
def test_inference_widens_to_fit_every_value(values, expected):
    source = ingest.TableSource(header=["v"], rows=iter((n + 2, [value]) for n, value in enumerate(values)))
    checked = ingest.table_to_csv(source, io.StringIO())
    assert checked.fields == [{"name": "v", "type": expected}]


def test_a_header_with_spaces_keeps_the_original_as_title(resource):
    version = load(resource, " 이름 ,면수\n가,1\n".encode())
    assert version.schema["fields"][0] == {"name": "이름", "title": " 이름 ", "type": "string"}
    assert rows_of(version) == [{"이름": "가", "면수": 1}]


def test_an_editors_schema_is_used_and_rows_that_break_it_fail_the_version(resource):
    schema = {
        "fields": [
            {"name": "이름", "type": "string", "constraints": {"required": True}},
            {"name": "면수", "type": "integer", "description": "주차면 수"},
        ]
    }
    good = load(resource, "이름,면수\n가,1\n나,2\n".encode(), schema=schema)
    assert good.status == "ready", good.error
    assert good.schema == schema and good.schema_valid
    assert rows_of(good) == [{"이름": "가", "면수": 1}, {"이름": "나", "면수": 2}]

    bad = load(resource, "이름,면수\n가,1\n,2\n다,많음\n".encode(), schema=schema)
    assert_failed_cleanly(bad, "2 cells do not match the table schema")
    assert bad.row_errors == [
        {"row": 3, "field": "이름", "message": "The column 이름 must not be empty."},
        {"row": 4, "field": "면수", "message": '"많음" is not a whole number.'},
    ]
    resource.refresh_from_db()
    assert resource.current_version == good


def test_an_editors_schema_must_name_the_files_columns(resource):
    schema = {"fields": [{"name": "이름", "type": "string"}, {"name": "주소", "type": "string"}]}
    version = load(resource, "이름,면수\n가,1\n".encode(), schema=schema)
    assert_failed_cleanly(version, "columns (이름, 면수) are not the schema's (이름, 주소)")


def test_column_changes():
    old = [{"name": "이름", "type": "string"}, {"name": "면수", "type": "integer"}, {"name": "비고", "type": "string"}]
    new = [{"name": "명칭", "type": "string"}, {"name": "주차면", "type": "number"}, {"name": "전화", "type": "string"}]
    # Same place and type: a rename. Same place, other type: one column out, another in.
    assert ingest.column_changes(old, new) == {
        "added": ["주차면"],
        "removed": ["면수"],
        "renamed": [["이름", "명칭"], ["비고", "전화"]],
    }
    assert ingest.column_changes(old, old + [{"name": "x", "type": "string"}]) == {
        "added": ["x"],
        "removed": [],
        "renamed": [],
    }


# --- Other formats --------------------------------------------------------------------------


def xlsx_bytes(rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.create_sheet("두번째")["A1"] = "ignored"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_reads_the_first_sheet_with_native_values(make_dataset):
    resource = make_resource(make_dataset("parks"), "XLSX")
    content = xlsx_bytes(
        [
            ["공원명", "면적", "조성일", "시설수", "개방"],
            ["직동근린공원", 451000.5, datetime(2019, 5, 1), 12, True],
            [None, None, None, None, None],  # blank rows are skipped
            ["추동근린공원", 123000, date(2021, 10, 3), None, False],
        ]
    )
    version = load(resource, content, "parks.xlsx")
    assert version.status == "ready", version.error
    types = [field["type"] for field in version.schema["fields"]]
    assert types == ["string", "number", "date", "integer", "boolean"]
    assert rows_of(version) == [
        {"공원명": "직동근린공원", "면적": 451000.5, "조성일": "2019-05-01", "시설수": 12, "개방": True},
        {"공원명": "추동근린공원", "면적": 123000.0, "조성일": "2021-10-03", "개방": False},
    ]


def test_a_broken_workbook_is_refused(make_dataset):
    resource = make_resource(make_dataset("parks"), "XLSX")
    version = load(resource, b"PK\x03\x04 not really a workbook", "parks.xlsx")
    assert_failed_cleanly(version, "could not be opened as an Excel workbook")


def test_json_records_become_rows(make_dataset):
    resource = make_resource(make_dataset("heritage"), "JSON")
    records = [{"명칭": "의정부 회룡사", "지정연도": 1985}, {"명칭": "망월사", "비고": None, "지정연도": 1990}]
    for document in (records, {"records": records}, {"data": records}):
        version = load(resource, json.dumps(document, ensure_ascii=False).encode(), "heritage.json")
        assert version.status == "ready", version.error
        assert [field["name"] for field in version.schema["fields"]] == ["명칭", "지정연도", "비고"]
        assert rows_of(version)[1] == {"명칭": "망월사", "지정연도": 1990}
    for broken, words in [
        (b"{not json", "not valid JSON"),
        (b'{"items": []}', 'under "records" or "data"'),
        (b'[{"a": 1}, 2]', "Item 2"),
        (b"[]", "no header row"),
    ]:
        assert_failed_cleanly(load(resource, broken, "heritage.json"), words)


def test_geojson_points_add_coordinates(make_dataset):
    resource = make_resource(make_dataset("bus-stops"), "GeoJSON")
    document = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [127.0337, 37.7381]},
                "properties": {"정류장명": "의정부역", "정류장번호": 26001},
            },
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": [[127.0, 37.7], [127.1, 37.8]]},
                "properties": {"정류장명": "노선 구간"},
            },
        ],
    }
    content = json.dumps(document, ensure_ascii=False).encode()
    version = load(resource, content, "stops.geojson")
    assert version.status == "ready", version.error
    fields = {field["name"]: field["type"] for field in version.schema["fields"]}
    assert fields == {"정류장명": "string", "정류장번호": "integer", "latitude": "number", "longitude": "number"}
    assert rows_of(version) == [
        {"정류장명": "의정부역", "정류장번호": 26001, "latitude": 37.7381, "longitude": 127.0337},
        {"정류장명": "노선 구간"},
    ]
    assert version.upload.open("rb").read() == content  # the original stays for the map
    assert_failed_cleanly(load(resource, b'{"type": "Point"}', "x.geojson"), "FeatureCollection")


def test_a_zip_is_published_without_rows(make_dataset):
    import zipfile

    resource = make_resource(make_dataset("boundaries"), "ZIP")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("dong.shp", b"\x00\x00\x27\x0a")
    version = load(resource, buffer.getvalue(), "dong.zip")
    assert version.status == "ready", version.error
    assert version.row_count == 0 and version.schema == {} and not rows_of(version)
    resource.refresh_from_db()
    assert resource.current_version == version
    assert_failed_cleanly(load(resource, b"not a zip at all", "dong.zip"), "not a ZIP archive")
