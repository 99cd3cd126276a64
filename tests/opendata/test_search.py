from apps.opendata.models import Resource
from apps.opendata.selectors import DatasetQuery, dataset_search
from apps.opendata.services import dataset_refresh


def test_korean_matches_inside_words(city, make_dataset):
    make_dataset("bus-stops", title_ko="버스정류장은 어디에", keywords=("교통",))
    make_dataset("parks", title_ko="도시공원 현황", department="parks")

    page = dataset_search(municipality=city, query=DatasetQuery(q="정류장"))

    assert [dataset.slug for dataset in page.datasets] == ["bus-stops"]
    assert page.count == 1


def test_every_word_must_match_and_title_hits_rank_first(city, make_dataset):
    make_dataset("b", title_ko="요금 안내", description_ko="공영 주차장 요금표")
    make_dataset("a", title_ko="주차장별 요금", description_ko="공영 주차장과 요금")
    make_dataset("c", title_ko="공원", description_ko="주차 없음")

    page = dataset_search(municipality=city, query=DatasetQuery(q="주차장 요금"))

    # "a" has both words in its title, "b" one; "c" lacks a word.
    assert [dataset.slug for dataset in page.datasets] == ["a", "b"]
    assert page.count == 2


def test_facets_count_datasets_and_filter(city, make_dataset):
    first = make_dataset("a", keywords=("주차", "교통"))
    make_dataset("b", keywords=("교통",), department="parks", category="environment")
    Resource.objects.create(dataset=first, name_ko="파일", format="CSV")
    Resource.objects.create(dataset=first, name_ko="파일2", format="CSV")
    dataset_refresh(first)

    page = dataset_search(municipality=city, query=DatasetQuery())
    assert dict(page.facets["tags"]) == {"교통": 2, "주차": 1}
    assert dict(page.facets["res_format"]) == {"CSV": 1}
    assert dict(page.facets["organization"]) == {"big-data": 1, "parks": 1}

    filtered = dataset_search(
        municipality=city, query=DatasetQuery(filters={"tags": ["교통"], "groups": ["environment"]})
    )
    assert [dataset.slug for dataset in filtered.datasets] == ["b"]
    assert dict(filtered.facets["organization"]) == {"parks": 1}
    by_format = dataset_search(municipality=city, query=DatasetQuery(filters={"res_format": ["CSV"]}))
    assert [dataset.slug for dataset in by_format.datasets] == ["a"]


def test_paging_and_unpublished(city, make_dataset):
    for number in range(5):
        make_dataset(f"d{number}", title_ko=f"자료 {number}")
    make_dataset("hidden", title_ko="자료 비공개", is_published=False)

    page = dataset_search(municipality=city, query=DatasetQuery(q="자료", sort="title", start=2, rows=2))

    assert page.count == 5
    assert [dataset.slug for dataset in page.datasets] == ["d2", "d3"]
