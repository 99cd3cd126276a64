"""The bulk load behind an ingest: rows go to PostgreSQL through COPY and to SQLite in batched
inserts (the suite runs on both), built a column at a time. Cells that break a naive COPY or CSV
round trip must come out exactly as the editor wrote them, and a load that fails half-way must leave
nothing behind."""

import csv
import io
import json

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from apps.opendata import ingest, services
from apps.opendata.models import DatastoreRow
from tests.opendata.test_ingest import assert_failed_cleanly, load, make_resource, rows_of

pytestmark = pytest.mark.usefixtures("english_messages")

LONG_CELL = "긴" * 100_000  # longer than the blocks the file is read in
HOSTILE_CSV = (
    "이름,메모,값,코드,비율,날짜\n"
    '탭\t있음,"줄\n바꿈",1,\\N,1.50,2025-01-31\n'
    '"역슬래시 \\ 와 \\.","CR\r\nLF",2,\\.,2.25,2025-02-01\n'
    '"외로운\rCR",,3,"a\\tb",-0.000,2025-03-01\n'
    '"""따옴표""",   ,4,"x""y",100.0,\n'
    "\n"
    '"   ",,,,,\n'
    f"{LONG_CELL},긴 셀,5,\\\\,0.0001,2025-06-01\n"
    '\\N,"\\",6,\\\\N,1e3,2025-12-31\n'
)
HOSTILE_ROWS = [
    {"이름": "탭\t있음", "메모": "줄\n바꿈", "값": 1, "코드": "\\N", "비율": 1.5, "날짜": "2025-01-31"},
    {"이름": "역슬래시 \\ 와 \\.", "메모": "CR\r\nLF", "값": 2, "코드": "\\.", "비율": 2.25, "날짜": "2025-02-01"},
    {"이름": "외로운\rCR", "값": 3, "코드": "a\\tb", "비율": -0.0, "날짜": "2025-03-01"},
    {"이름": '"따옴표"', "값": 4, "코드": 'x"y', "비율": 100.0},
    {"이름": LONG_CELL, "메모": "긴 셀", "값": 5, "코드": "\\\\", "비율": 0.0001, "날짜": "2025-06-01"},
    {"이름": "\\N", "메모": "\\", "값": 6, "코드": "\\\\N", "비율": 1000.0, "날짜": "2025-12-31"},
]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp949"])
def test_cells_that_break_a_naive_copy_come_out_as_written(resource, monkeypatch, encoding):
    monkeypatch.setattr(ingest, "BATCH_ROWS", 2)  # batches end inside the file, blank rows among them
    version = load(resource, HOSTILE_CSV.encode(encoding))

    assert version.status == "ready", version.error
    assert version.encoding == encoding and version.row_count == len(HOSTILE_ROWS)
    assert [field["type"] for field in version.schema["fields"]] == [
        "string",
        "string",
        "integer",
        "string",
        "number",
        "date",
    ]
    assert rows_of(version) == HOSTILE_ROWS
    assert [type(row["비율"]) for row in rows_of(version)] == [float] * len(HOSTILE_ROWS)
    # Rows are keyed by their version and number (decision 23).
    assert DatastoreRow.objects.get(pk=(version.pk, 2)).data == HOSTILE_ROWS[1]
    # The UTF-8 copy offered for download reads back as the same table.
    copy = version.utf8_csv.open("rb").read().decode("utf-8-sig")
    table = [cells for cells in csv.reader(io.StringIO(copy, newline="")) if "".join(cells).strip()]
    expected = [line for line in csv.reader(io.StringIO(HOSTILE_CSV, newline="")) if "".join(line).strip()]
    assert table == expected


def test_cells_from_json_that_break_a_naive_csv_copy_come_out_as_written(make_dataset):
    resource = make_resource(make_dataset("heritage"), "JSON")
    records = [
        {"명칭": "외로운\rCR", "비고": "탭\t와\n줄", "번호": 1},
        {"명칭": "\\N", "비고": '"따옴표", 쉼표', "번호": 2},
        {"명칭": "\\.", "비고": None, "번호": None},
    ]
    version = load(resource, json.dumps(records, ensure_ascii=False).encode(), "heritage.json")

    assert version.status == "ready", version.error
    assert rows_of(version) == [
        {key: value for key, value in record.items() if value is not None} for record in records
    ]


def test_nul_characters_are_refused_with_their_line(resource, make_dataset):
    good_rows = "".join(f"주차장{n},{n}\n" for n in range(5000))  # past the sample the encoding is told from
    content = ("이름,면수\n" + good_rows + "NUL\x00이 든 행,1\n").encode()
    assert len(content) > ingest.SAMPLE_BYTES
    version = load(resource, content)
    assert_failed_cleanly(version, "Line 5002 contains a NUL character")
    assert version.row_errors[0]["row"] == 5002

    heritage = make_resource(make_dataset("heritage"), "JSON")
    version = load(heritage, b'[{"a": "x"}, {"a": "y\\u0000"}]', "heritage.json")
    assert_failed_cleanly(version, "Line 2 contains a NUL character")


def test_the_spool_gives_pass_two_each_batch_as_pass_one_wrote_it(tmp_path):
    batches = [[["탭\t", "줄\n바꿈", ""]], [["\\N", "  ", LONG_CELL], ["외로운\rCR", '"', "\\."]]]
    with open(tmp_path / "spool", "w+b") as file:
        spool = ingest.RowSpool(file)
        for rows in batches:
            spool.write(rows)
        assert list(spool.batches()) == batches
        assert spool.bytes_read == spool.size


def test_rows_at_fault_are_named_by_the_line_they_start_on(resource, monkeypatch):
    monkeypatch.setattr(ingest, "BATCH_ROWS", 2)  # each row at fault comes after a longer one in its batch
    ragged = '이름,메모,값\n가,나,1\n나,다,2\n다,"여러\n줄",3\n라,4\n\n마,"또\r\n여러 줄",5,6\n바,사,7\n'
    version = load(resource, ragged.encode())
    assert_failed_cleanly(version, "2 rows")
    assert [(problem["row"], problem["message"]) for problem in version.row_errors] == [
        (6, "Line 6 has 2 cells; the header has 3."),
        (8, "Line 8 has 4 cells; the header has 3."),
    ]
    unclosed = '이름,메모,값\n가,"여러\n줄",1\n나,"닫히지 않은,2\n다,라,3\n'
    assert_failed_cleanly(load(resource, unclosed.encode()), "Line 4 could not be read as CSV")


def test_a_load_the_database_refuses_half_way_leaves_no_rows_and_the_published_version(resource, monkeypatch):
    published = load(resource, "이름,값\n가,1.5\n나,2.5\n".encode())
    monkeypatch.setattr(services, "ROWS_PER_BATCH", 2)
    written = []
    record = services._progress

    def spy(version, bytes_read, rows):
        written.append(rows)
        record(version, bytes_read, rows)

    monkeypatch.setattr(services, "_progress", spy)
    # 1e999 is a number too large for a float: JSON cannot hold it, and both databases refuse the
    # row, in the third batch, after two batches were committed.
    content = "이름,값\n" + "".join(f"행{n},{n}.5\n" for n in range(4)) + "넘침,1e999\n끝,1.5\n"
    version = load(resource, content.encode())

    assert 4 in written  # two batches of rows were in the table before the refused one
    assert_failed_cleanly(version, "unexpected error")
    assert not DatastoreRow.objects.filter(version=version).exists()
    resource.refresh_from_db()
    assert resource.current_version == published
    assert rows_of(published) == [{"이름": "가", "값": 1.5}, {"이름": "나", "값": 2.5}]


# --- Rows as JSON text, a column at a time -----------------------------------------------------

PADDING = st.sampled_from(["", " ", "\t", "\u3000", " \u00a0"])
CELLS = {
    "integer": st.from_regex(ingest.INTEGER, fullmatch=True),
    "number": st.one_of(
        st.from_regex(ingest.NUMBER, fullmatch=True),
        st.from_regex(r"-?(?:0|[1-9][0-9]{0,14})\.[0-9]{1,17}", fullmatch=True),  # plain decimals
    ),
    "boolean": st.sampled_from(sorted(ingest.BOOLEAN)),
    "date": st.dates().map(str),
    "datetime": st.datetimes().map(lambda moment: moment.isoformat(sep=" ")),
    "string": st.text(st.characters(blacklist_characters="\x00"), max_size=8),
}
# What the rows were before they were built a column at a time: a dict per row, through json.dumps.
CONVERT = {"integer": int, "number": float, "boolean": ingest.BOOLEAN.__getitem__, "date": str, "datetime": str}


def _reference_json(cells: list[str], fields: list[dict]) -> str:
    row = {}
    for field, value in zip(fields, cells, strict=True):
        if value.strip():
            row[field["name"]] = value if field["type"] == "string" else CONVERT[field["type"]](value.strip())
    return json.dumps(row, ensure_ascii=False, separators=(",", ":"))


@st.composite
def typed_tables(draw) -> tuple[list[dict], list[list[str]]]:
    kinds = draw(st.lists(st.sampled_from(sorted(CELLS)), min_size=1, max_size=4))
    fields = [{"name": f'열 {position} "%s" \\', "type": kind} for position, kind in enumerate(kinds)]
    size = draw(st.integers(min_value=1, max_value=6))
    columns = []
    for kind in kinds:
        pad = draw(PADDING)
        cell = CELLS[kind].map(lambda value, pad=pad: pad + value + pad)
        if draw(st.booleans()):
            cell = st.one_of(cell, st.sampled_from(["", "  "]))
        columns.append(draw(st.lists(cell, min_size=size, max_size=size)))
    return fields, [list(row) for row in zip(*columns, strict=True)]


@settings(max_examples=200, derandomize=True, database=None, deadline=None)
@given(typed_tables())
# 16 digits, one more than a float keeps: repr(float()) ends in 5.
@example(([{"name": "비율", "type": "number"}], [["8.029313758584716"], ["1.5"]]))
def test_rows_as_json_are_what_json_dumps_makes_of_them(table):
    fields, rows = table
    assert ingest.json_rows(rows, fields) == [_reference_json(cells, fields) for cells in rows]
    # As lines of COPY text, numbered from 3 on.
    lines = ingest.json_rows(rows, fields, numbered=("7\t%d\t", 3))
    assert lines == [f"7\t{number}\t{_reference_json(cells, fields)}\n" for number, cells in enumerate(rows, 3)]
