"""The public dataset pages: search with facets, sort and pages; the dataset page with its table,
chart, map and API examples, in Korean and English."""

import csv
import io
import json
import re
from datetime import timedelta
from pathlib import PurePath

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from apps.opendata import preview
from apps.opendata.models import Dataset, DatastoreRow, Resource, ResourceVersion
from apps.opendata.services import dataset_refresh

PARK_FIELDS = [
    {"name": "공원명", "type": "string"},
    {"name": "면적", "type": "number"},
    {"name": "위도", "type": "number"},
    {"name": "경도", "type": "number"},
]
PARKS = [
    {"공원명": "직동근린공원", "면적": 420000.5, "위도": 37.7465, "경도": 127.0489},
    {"공원명": "추동근린공원", "면적": 1200000, "위도": 37.7301, "경도": 127.0522},
    {"공원명": "발곡근린공원", "면적": 98000, "위도": 37.7263, "경도": 127.0335},
    {"공원명": "좌표 없는 공원", "면적": 5000},
]


def publish_file(resource: Resource, name: str, raw: bytes) -> ResourceVersion:
    """A file without rows (GeoJSON kept for its map, a ZIP) published as the resource's first version."""
    version = ResourceVersion(
        resource=resource, number=1, original_name=name, size=len(raw), status="ready", published_at=timezone.now()
    )
    version.upload.save(name, ContentFile(raw), save=False)
    version.save()
    resource.current_version = version
    resource.save()
    return version


def publish_table(
    dataset: Dataset,
    rows: list[dict],
    *,
    fields: list[dict],
    resource: Resource | None = None,
    name_ko: str = "공원 목록",
    original_name: str = "공원.csv",
    original: bytes | None = None,
    encoding: str = "cp949",
) -> ResourceVersion:
    """Publish rows as the next version of a CSV resource the way the ingest leaves it: the upload,
    its UTF-8 CSV copy, the schema and one DatastoreRow per row (empty cells left out)."""
    resource = resource or Resource.objects.create(dataset=dataset, name_ko=name_ko, format=Resource.Format.CSV)
    names = [field["name"] for field in fields]
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(names)
    writer.writerows([["" if row.get(name) is None else row[name] for name in names] for row in rows])
    utf8 = text.getvalue().encode("utf-8")
    original = original if original is not None else text.getvalue().encode(encoding)
    version = ResourceVersion(
        resource=resource,
        number=resource.versions.count() + 1,
        original_name=original_name,
        size=len(original),
        encoding=encoding,
        status=ResourceVersion.Status.READY,
        row_count=len(rows),
        schema={"fields": fields},
        schema_valid=True,
        published_at=timezone.now(),
    )
    version.upload.save(original_name, ContentFile(original), save=False)
    version.utf8_csv.save(f"{PurePath(original_name).stem}.csv", ContentFile(utf8), save=False)
    version.save()
    DatastoreRow.objects.bulk_create(
        DatastoreRow(version=version, number=number, data={k: v for k, v in row.items() if v is not None})
        for number, row in enumerate(rows, start=1)
    )
    resource.current_version = version
    resource.save()
    dataset.data_updated_at = timezone.now()
    dataset.save()
    dataset_refresh(dataset)
    return version


@pytest.fixture
def parks(make_dataset):
    dataset = make_dataset(
        "city-parks",
        title_ko="의정부시 도시공원현황",
        title_en="Uijeongbu city parks",
        description_ko="의정부시 도시공원의 이름, 면적, 위치(위도·경도)를 담은 목록입니다. 해마다 갱신합니다.",
        description_en="Names, areas and locations of the city's parks.",
        department="parks",
        category="environment",
        keywords=("공원", "녹지"),
        spatial_coverage="의정부시 전역",
        contact_phone="031-828-2114",
    )
    publish_table(dataset, PARKS, fields=PARK_FIELDS)
    return dataset


def text_of(response) -> str:
    """The page's text without tags, spaces squeezed: what a reader sees."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def result_slugs(response) -> list[str]:
    return re.findall(
        r'class="dataset-card__title"><a href="/\w+/open-data/datasets/([\w-]+)/"', response.content.decode()
    )


# --- Search -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("language", "title"), [("ko", "버스정류장은 어디에"), ("en", "Bus stops")])
def test_search_finds_korean_inside_words_in_both_languages(client, make_dataset, language, title):
    make_dataset("bus-stops", title_ko="버스정류장은 어디에", title_en="Bus stops", keywords=("교통",))
    make_dataset("parks", title_ko="도시공원 현황", department="parks")

    response = client.get(f"/{language}/open-data/datasets/", {"q": "정류장"})

    assert response.status_code == 200
    assert f'<html lang="{language}">' in response.content.decode()
    assert result_slugs(response) == ["bus-stops"]
    assert title in text_of(response)
    assert 'value="정류장"' in response.content.decode()  # the words stay in the box


def test_search_counts_results_in_english(client, make_dataset):
    make_dataset("bus-stops", title_ko="버스정류장")

    assert "1 dataset " in text_of(client.get("/en/open-data/datasets/", {"q": "정류"}))
    assert "0 datasets " in text_of(client.get("/en/open-data/datasets/", {"q": "없는말"}))


def test_search_cards_show_what_a_reader_compares(client, parks):
    response = client.get("/en/open-data/datasets/")

    card = text_of(response)
    assert result_slugs(response) == ["city-parks"]
    assert "Uijeongbu city parks" in card
    assert "Park Management Team" in card  # the department
    assert "Updated: Yearly" in card
    assert "KOGL Type 1" in card
    assert f"Quality {parks.quality_score}/100" in card
    assert '<li class="badge badge--format">CSV</li>' in response.content.decode()


def test_facets_count_link_and_filter_without_javascript(client, make_dataset):
    make_dataset("a", title_ko="주차장 위치", keywords=("주차", "교통"))
    make_dataset("b", title_ko="주차 요금", keywords=("주차",), department="parks", category="environment")
    make_dataset("c", title_ko="공원 목록", department="parks", category="environment")

    response = client.get("/ko/open-data/datasets/", {"q": "주차"})
    html = response.content.decode()
    # Each facet value is a link with its count, keeping the words searched for.
    assert re.search(r'href="\?q=%EC%A3%BC%EC%B0%A8&amp;organization=parks"[^>]*>.*?facet__count">1<', html, re.S)
    assert re.search(r'data-value="주차">.*?facet__count">2<', html, re.S)
    assert '<details class="facets" data-facets>' in html  # closed on a phone until something is chosen

    filtered = client.get("/ko/open-data/datasets/", {"q": "주차", "organization": "parks"})
    assert result_slugs(filtered) == ["b"]
    assert "data-facets open" in filtered.content.decode()
    # The chosen value links back to the list without it.
    assert 'class="facet__option is-selected" href="?q=%EC%A3%BC%EC%B0%A8"' in filtered.content.decode()

    by_two = client.get("/ko/open-data/datasets/", {"groups": "environment", "tags": "주차"})
    assert result_slugs(by_two) == ["b"]
    nothing = client.get("/ko/open-data/datasets/", {"license_id": "CC0-1.0"})
    assert result_slugs(nothing) == []
    assert "(remove)" in text_of(client.get("/en/open-data/datasets/", {"license_id": "CC0-1.0"}))


def test_sort_newest_and_most_downloaded(client, make_dataset):
    old = make_dataset("old", title_ko="가 자료")
    popular = make_dataset("popular", title_ko="나 자료")
    make_dataset("new", title_ko="다 자료")
    Dataset.objects.filter(pk=old.pk).update(modified_at=timezone.now() - timedelta(days=30))
    Dataset.objects.filter(pk=popular.pk).update(download_count=50, modified_at=timezone.now() - timedelta(days=10))

    assert result_slugs(client.get("/ko/open-data/datasets/", {"sort": "newest"})) == ["new", "popular", "old"]
    assert result_slugs(client.get("/ko/open-data/datasets/", {"sort": "downloads"}))[0] == "popular"
    relevance = client.get("/ko/open-data/datasets/", {"q": "가"})
    assert result_slugs(relevance) == ["old"]


def test_pages_of_results(client, make_dataset):
    for number in range(25):
        make_dataset(f"data-{number:02d}", title_ko=f"자료 {number:02d}")

    first = client.get("/en/open-data/datasets/", {"sort": "newest"})
    second = client.get("/en/open-data/datasets/", {"sort": "newest", "page": 2})

    assert len(result_slugs(first)) == 20 and len(result_slugs(second)) == 5
    assert not set(result_slugs(first)) & set(result_slugs(second))
    assert "Page 2 of 2" in text_of(second)
    assert 'href="?sort=newest&amp;page=2" rel="next"' in first.content.decode()
    # An old link past the end shows the last page instead of an empty one.
    assert result_slugs(client.get("/en/open-data/datasets/", {"sort": "newest", "page": 9})) == result_slugs(second)


def test_bad_search_options_get_a_message_not_an_error(client, make_dataset):
    make_dataset("a", title_ko="자료")

    response = client.get("/en/open-data/datasets/", {"page": "abc", "sort": "random"})

    assert response.status_code == 400
    assert "were not understood" in text_of(response)
    assert result_slugs(response) == ["a"]  # the defaults still show the datasets


@pytest.mark.parametrize("page", ["99999999999999999999999", "-1", "1.5"])
def test_a_search_page_that_is_no_page_number_gets_a_message(client, make_dataset, page):
    make_dataset("a", title_ko="자료")

    response = client.get("/en/open-data/datasets/", {"page": page})

    assert response.status_code == 400
    assert "were not understood" in text_of(response)
    assert result_slugs(response) == ["a"]


# --- Dataset page -----------------------------------------------------------------------------


def test_dataset_page_shows_metadata_quality_files_and_api(client, parks):
    department = parks.department
    department.phone = "031-828-4321"
    department.save()
    parks_file = parks.resources.get()
    first = parks_file.current_version
    second = publish_table(parks, PARKS[:2], fields=PARK_FIELDS, resource=parks_file, original_name="공원2.csv")
    Resource.objects.create(
        dataset=parks, name_ko="실시간 API", kind="api", format="API", url="https://api.example.kr/parks"
    )

    response = client.get("/en/open-data/datasets/city-parks/")

    assert response.status_code == 200
    html, page = response.content.decode(), text_of(response)
    assert "<h1>Uijeongbu city parks</h1>" in html
    assert 'href="tel:031-828-4321"' in html
    assert 'href="https://www.kogl.or.kr/info/licenseType1.do" rel="license"' in html
    # Next update due, as a date in the city's time zone (after 15:00 UTC, Seoul is a day ahead).
    assert timezone.localtime(parks.data_updated_at + timedelta(days=366)).strftime("%Y-%m-%d") in page
    assert "의정부시 전역" in page and "Environment" in page
    # Quality: every check with whether it is met.
    assert f"data-quality-score>{parks.quality_score}<" in html
    assert page.count("Met:") + page.count("Not met:") == 6
    # The files: the published version, its CSV and XLSX, every published version, the API link.
    assert f'href="/open-data/files/{parks_file.pk}/"' in html
    assert f'href="/open-data/files/{parks_file.pk}.csv"' in html
    assert f'href="/open-data/files/{parks_file.pk}.xlsx"' in html
    assert f'href="/open-data/files/{parks_file.pk}/v{first.number}/"' in html
    assert f'href="/open-data/files/{parks_file.pk}/v{second.number}/"' in html
    assert "All versions (2)" in page
    assert 'href="https://api.example.kr/parks"' in html
    # The API examples call this dataset at this site's real addresses.
    assert 'curl "http://testserver/api/3/action/package_show?id=city-parks"' in html
    assert f"http://testserver/api/3/action/datastore_search?resource_id={parks_file.pk}&amp;limit=5" in html
    assert f"http://testserver/api/v1/opendata/resources/{parks_file.pk}/rows/?limit=5" in html
    assert 'RemoteCKAN("http://testserver")' in html
    assert f'resource_id="{parks_file.pk}", limit=100' in html
    assert '"resource_id": "' in html and "import requests" in html
    # schema.org JSON-LD for search engines.
    ld = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert json.loads(ld)["@type"] == "Dataset"
    assert 'href="/en/open-data/datasets/city-parks/report-error/"' in html


def test_dataset_page_in_korean(client, parks):
    response = client.get("/ko/open-data/datasets/city-parks/")

    assert response.status_code == 200
    assert "<h1>의정부시 도시공원현황</h1>" in response.content.decode()
    assert 'lang="ko"' in response.content.decode()


def test_unpublished_and_unknown_datasets_are_not_found(client, make_dataset):
    make_dataset("hidden", is_published=False)

    assert client.get("/ko/open-data/datasets/hidden/").status_code == 404
    assert client.get("/ko/open-data/datasets/nothing-here/").status_code == 404


def many_rows(count: int) -> list[dict]:
    return [
        {"행정동": f"동{number:03d}", "인구": number * 10, "세대수": 1000 - number} for number in range(1, count + 1)
    ]


POPULATION_FIELDS = [
    {"name": "행정동", "type": "string"},
    {"name": "인구", "type": "integer"},
    {"name": "세대수", "type": "integer"},
]


def preview_cells(response, column: int) -> list[str]:
    """One column of the preview table (0 is the row number)."""
    body = response.content.decode().split("data-preview-table", 1)[1].split("</tbody>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", body.split("<tbody>", 1)[1], re.S)
    return [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)[column] for row in rows]


def test_preview_table_pages(client, make_dataset):
    dataset = make_dataset("population", title_ko="행정동별 인구")
    publish_table(dataset, many_rows(45), fields=POPULATION_FIELDS)

    first = client.get("/en/open-data/datasets/population/")
    third = client.get("/en/open-data/datasets/population/", {"page": 3})

    assert preview_cells(first, 1)[:2] == ["동001", "동002"] and len(preview_cells(first, 1)) == 20
    assert preview_cells(third, 1) == [f"동{number:03d}" for number in range(41, 46)]
    assert "rows 41–45 of 45" in text_of(third)
    assert "Page 3 of 3" in text_of(third)


def test_preview_table_sorts_by_any_column(client, make_dataset):
    dataset = make_dataset("population", title_ko="행정동별 인구")
    resource = publish_table(dataset, many_rows(45), fields=POPULATION_FIELDS).resource

    response = client.get("/en/open-data/datasets/population/", {"sort": "인구", "order": "desc"})

    assert preview_cells(response, 2)[:3] == ["450", "440", "430"]
    html = response.content.decode()
    assert 'aria-sort="descending"' in html
    # The sorted column's link sorts it the other way round; the others sort ascending.
    assert f"?sort=%EC%9D%B8%EA%B5%AC&amp;order=asc&amp;resource={resource.pk}#preview" in html
    ascending = client.get("/en/open-data/datasets/population/", {"sort": "세대수", "order": "asc", "page": 2})
    assert preview_cells(ascending, 3)[0] == str(1000 - 45 + 20)


def test_preview_refuses_unknown_columns_with_a_message(client, make_dataset):
    dataset = make_dataset("population", title_ko="행정동별 인구")
    publish_table(dataset, many_rows(3), fields=POPULATION_FIELDS)

    response = client.get("/en/open-data/datasets/population/", {"sort": "no_such_column", "value": "행정동"})

    assert response.status_code == 400
    assert "were not understood" in text_of(response)
    assert preview_cells(response, 1) == ["동001", "동002", "동003"]  # the table in file order


def test_a_preview_page_past_the_end_shows_the_last_page(client, make_dataset):
    publish_table(make_dataset("population", title_ko="행정동별 인구"), many_rows(45), fields=POPULATION_FIELDS)

    response = client.get("/en/open-data/datasets/population/", {"page": "99999999999999999999999"})

    assert response.status_code == 200
    assert preview_cells(response, 1) == [f"동{number:03d}" for number in range(41, 46)]
    assert "Page 3 of 3" in text_of(response)


@pytest.mark.parametrize("page", ["-1", "0", "1.5", "abc"])
def test_a_preview_page_that_is_no_page_number_gets_a_message(client, make_dataset, page):
    publish_table(make_dataset("population", title_ko="행정동별 인구"), many_rows(25), fields=POPULATION_FIELDS)

    response = client.get("/en/open-data/datasets/population/", {"page": page})

    assert response.status_code == 400
    assert "were not understood" in text_of(response)
    assert preview_cells(response, 1)[0] == "동001"  # the first page


def chart_bars(response) -> list[tuple[str, str]]:
    svg = response.content.decode().split('class="bar-chart__svg"', 1)[1].split("</svg>", 1)[0]
    return re.findall(r'bar-chart__label"[^>]*>(.*?)</text>.*?bar-chart__value"[^>]*>(.*?)</text>', svg, re.S)


def test_chart_draws_a_numeric_column_and_the_reader_can_choose(client, make_dataset):
    dataset = make_dataset("population", title_ko="행정동별 인구")
    publish_table(dataset, many_rows(45), fields=POPULATION_FIELDS)

    default = client.get("/en/open-data/datasets/population/")
    assert chart_bars(default)[:2] == [("동001", "10"), ("동002", "20")]
    assert len(chart_bars(default)) == preview.CHART_BARS
    assert 'role="img"' in default.content.decode() and "동001: 10; 동002: 20" in default.content.decode()

    chosen = client.get("/en/open-data/datasets/population/", {"value": "세대수", "sort": "인구", "order": "desc"})
    assert chart_bars(chosen)[0] == ("동045", "955")  # the chart follows the table's order


def test_bar_chart_scales_bars_and_writes_numbers(parks):
    version = parks.resources.get().current_version

    chart = preview.bar_chart(version, label_column="공원명", value_column="면적")

    assert [bar.label for bar in chart.bars] == ["직동근린공원", "추동근린공원", "발곡근린공원", "좌표 없는 공원"]
    longest = max(chart.bars, key=lambda bar: bar.value)
    assert longest.percent == preview.BAR_MAX_PERCENT and longest.text == "1,200,000"
    assert chart.bars[0].text == "420,000.5"
    assert [bar.y for bar in chart.bars] == [0, 48, 96, 144] and chart.height == 192


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["공원명", "위도", "경도"], ("위도", "경도")),
        (["name", "Latitude", "Longitude"], ("Latitude", "Longitude")),
        (["name", "lat", "lng"], ("lat", "lng")),
        (["name", "LAT", "LON"], ("LAT", "LON")),
        (["시설명", "위도 (WGS84)", "경도 (WGS84)"], ("위도 (WGS84)", "경도 (WGS84)")),
        (["name", "x", "y"], None),  # projected coordinates are not degrees
        (["name", "위도"], None),
    ],
)
def test_coordinate_columns_are_found_by_name(names, expected):
    assert preview.coordinate_columns([{"name": name, "type": "number"} for name in names]) == expected


def test_map_points_from_rows_with_coordinates(client, parks):
    resource = parks.resources.get()

    page = client.get("/en/open-data/datasets/city-parks/")
    assert f'data-features-url="/en/open-data/datasets/city-parks/map/{resource.pk}.geojson"' in page.content.decode()
    response = client.get(f"/en/open-data/datasets/city-parks/map/{resource.pk}.geojson")

    assert response.status_code == 200 and response["Content-Type"] == "application/geo+json"
    collection = response.json()
    assert collection["type"] == "FeatureCollection" and collection["truncated"] is False
    assert [feature["geometry"]["coordinates"] for feature in collection["features"]] == [
        [127.0489, 37.7465],
        [127.0522, 37.7301],
        [127.0335, 37.7263],
    ]  # the park without coordinates is left out
    assert collection["features"][0]["properties"] == {"row": 1, "label": "직동근린공원"}
    capped = preview.row_points(resource.current_version, limit=2)
    assert len(capped["features"]) == 2 and capped["truncated"] is True


def test_no_map_without_coordinates(client, make_dataset):
    dataset = make_dataset("population", title_ko="행정동별 인구")
    resource = publish_table(dataset, many_rows(3), fields=POPULATION_FIELDS).resource

    assert "data-features-url" not in client.get("/en/open-data/datasets/population/").content.decode()
    assert client.get(f"/en/open-data/datasets/population/map/{resource.pk}.geojson").status_code == 404


def test_map_of_a_geojson_file(client, make_dataset):
    dataset = make_dataset("trails", title_ko="소풍길 노선")
    resource = Resource.objects.create(dataset=dataset, name_ko="소풍길", format=Resource.Format.GEOJSON)
    document = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": "1코스 원도심길", "length_km": 7.2},
                "geometry": {"type": "LineString", "coordinates": [[127.03, 37.73], [127.05, 37.74]]},
            },
            {"type": "Feature", "properties": {"name": "broken"}, "geometry": None},
            {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [127.04, 37.75]}},
        ],
    }
    raw = json.dumps(document, ensure_ascii=False).encode()
    publish_file(resource, "trails.geojson", raw)

    page = client.get("/en/open-data/datasets/trails/")
    assert 'id="dataset-map"' in page.content.decode()
    assert "data-preview-table" not in page.content.decode()  # no rows to preview
    collection = client.get(f"/en/open-data/datasets/trails/map/{resource.pk}.geojson").json()
    assert [feature["geometry"]["type"] for feature in collection["features"]] == ["LineString", "Point"]
    assert [feature["properties"]["label"] for feature in collection["features"]] == ["1코스 원도심길", "#3"]


def test_the_open_data_section_leads_to_the_search_and_back(client, demo_site, parks):
    section = client.get("/en/open-data/")
    assert 'action="/en/open-data/datasets/" role="search"' in section.content.decode()

    dataset = client.get("/en/open-data/datasets/city-parks/")
    assert '<li><a href="/en/open-data/">Open data</a></li>' in dataset.content.decode()


def test_the_sitemap_lists_published_datasets_in_both_languages(client, demo_site, make_dataset):
    make_dataset("bus-stops", title_ko="버스정류장 위치")
    make_dataset("draft", title_ko="준비 중인 데이터", is_published=False)

    xml = client.get("/sitemap.xml").content.decode()

    assert "/ko/open-data/datasets/bus-stops/</loc>" in xml and "/en/open-data/datasets/bus-stops/</loc>" in xml
    assert "/ko/trails/" in xml  # the pages are still there
    assert "draft" not in xml
