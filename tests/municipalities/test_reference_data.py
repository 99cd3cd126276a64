import csv
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from apps.complaints.models import Category
from apps.municipalities.models import Department, Dong, Municipality

SHIPPED = settings.BASE_DIR / "data" / "reference"


def rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_loads_every_department_and_category_with_their_codes(city):
    departments = rows(SHIPPED / "uijeongbu" / "departments.csv")
    categories = rows(SHIPPED / "uijeongbu" / "complaint_categories.csv")
    assert set(city.departments.values_list("code", flat=True)) == {row["code"] for row in departments}
    assert set(city.categories.values_list("code", flat=True)) == {row["code"] for row in categories}
    parking = Category.objects.get(municipality=city, code="illegal-parking")
    assert parking.department.code == "parking-enforcement"
    assert (parking.kind, parking.processing_days, parking.needs_location, parking.public_by_default) == (
        "grievance",
        7,
        True,
        False,
    )
    assert Category.objects.get(code="cctv").processing_days == 14


def test_category_questions_are_loaded_with_bilingual_choices(city):
    from apps.complaints.models import CategoryQuestion

    questions = CategoryQuestion.objects.filter(category__municipality=city)
    assert questions.count() == len(rows(SHIPPED / "uijeongbu" / "category_questions.csv"))
    spot = questions.get(category__code="hydrant-parking", code="spot")
    assert spot.required and {"key": "crossing", "name_ko": "횡단보도", "name_en": "On a crossing"} in spot.values


def test_the_fourteen_administrative_dongs_are_loaded_with_their_place_names(city):
    from apps.municipalities.selectors import dong_in_text

    assert city.dongs.count() == 14
    assert dong_in_text(municipality=city, text="의정부시 송산 3동 주민센터").name_ko == "송산3동"
    assert dong_in_text(municipality=city, text="자일동 사거리").name_en == "Jageum-dong"
    assert dong_in_text(municipality=city, text="의정부역 앞") is None


def test_loading_twice_changes_nothing(city):
    def snapshot():
        return [list(model.objects.order_by("pk").values()) for model in (Department, Category, Dong)]

    before = snapshot()
    call_command("load_reference_data", verbosity=0)
    assert snapshot() == before


def test_a_name_edited_in_the_admin_survives_a_reload(city):
    Department.objects.filter(code="road-lighting").update(name_ko="가로등관리팀")
    call_command("load_reference_data", verbosity=0)
    assert Department.objects.get(code="road-lighting").name_ko == "가로등관리팀"


def test_a_missing_row_is_added_back(city):
    Category.objects.filter(code="other").delete()
    call_command("load_reference_data", verbosity=0)
    assert Category.objects.filter(municipality=city, code="other").exists()


@pytest.fixture
def tables(tmp_path):
    shutil.copytree(SHIPPED, tmp_path, dirs_exist_ok=True)
    return tmp_path


def replace_in(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("breakage", "message"),
    [
        (
            lambda t: replace_in(t / "uijeongbu/complaint_categories.csv", ",road-lighting,", ",no-such-team,"),
            "unknown department 'no-such-team'",
        ),
        (lambda t: replace_in(t / "uijeongbu/complaint_categories.csv", "grievance,7", "complaint,7"), "kind must be"),
        (
            lambda t: replace_in(t / "uijeongbu/complaint_categories.csv", "grievance,7", "grievance,seven"),
            "processing_days must be a positive number",
        ),
        (lambda t: replace_in(t / "uijeongbu/departments.csv", "name_en,", "english,"), "missing columns name_en"),
        (lambda t: (t / "uijeongbu/departments.csv").write_bytes("코드,이름\n".encode("cp949")), "not UTF-8"),
        (lambda t: (t / "uijeongbu/complaint_categories.csv").unlink(), "No such file"),
        (lambda t: replace_in(t / "uijeongbu/category_questions.csv", ",string,", ",colour,"), "datatype must be"),
        (
            lambda t: replace_in(t / "uijeongbu/category_questions.csv", "off:꺼져 있음:Off", "off"),
            "key:한국어:English",
        ),
        (
            lambda t: replace_in(t / "uijeongbu/category_questions.csv", "pothole,size", "potholes,size"),
            "unknown category 'potholes'",
        ),
    ],
    ids=[
        "unknown-department",
        "bad-kind",
        "bad-period",
        "missing-column",
        "cp949",
        "missing-file",
        "question-datatype",
        "question-choice",
        "question-category",
    ],
)
def test_a_broken_table_is_refused_with_a_clear_message_and_changes_nothing(db, tables, breakage, message):
    breakage(tables)
    with pytest.raises(CommandError, match=message):
        call_command("load_reference_data", directory=tables, verbosity=0)
    assert not Municipality.objects.exists()
    assert not Department.objects.exists()


def test_a_reload_fills_missing_translations_and_keeps_the_admins_names(city):
    Category.objects.filter(code="pothole").update(name_ja="", name_zh_hans="道路坑洼（管理员）")
    Department.objects.filter(code="road-lighting").update(name_ja="")
    call_command("load_reference_data", verbosity=0)
    pothole = Category.objects.get(code="pothole")
    assert (pothole.name_ja, pothole.name_zh_hans) == ("道路の破損・ポットホール", "道路坑洼（管理员）")
    assert Department.objects.get(code="road-lighting").name_ja == "道路照明チーム"


def test_a_second_city_needs_only_data(db, tables):
    with (tables / "municipalities.csv").open("a", encoding="utf-8") as handle:
        handle.write("dobong,도봉구,Dobong-gu,02-2091-2114,,,37.6688,127.0471\n")
    shutil.copytree(tables / "uijeongbu", tables / "dobong")
    call_command("load_reference_data", directory=tables, verbosity=0)
    dobong = Municipality.objects.get(code="dobong")
    assert dobong.departments.count() == Municipality.objects.get(code="uijeongbu").departments.count()
    assert dobong.categories.get(code="illegal-parking").department.municipality == dobong
