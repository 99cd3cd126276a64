"""Reference tables a city loads (data/reference/): its complaint categories and their questions."""

from pathlib import Path

from django.db import transaction

from apps.complaints import lookups
from apps.complaints.models import Category, CategoryQuestion
from apps.municipalities.models import Municipality
from apps.municipalities.services import ReferenceDataError, SyncResult, read_reference_csv, tourist_names_fill

YES_NO = {"yes": True, "no": False}


def _yes_no(row: dict[str, str], column: str, line: int) -> bool:
    try:
        return YES_NO[row[column].lower()]
    except KeyError:
        raise ReferenceDataError(f"line {line}: {column} must be yes or no, not {row[column]!r}") from None


@transaction.atomic
def categories_sync(*, municipality: Municipality, path: Path) -> SyncResult:
    """Create the complaint categories in the table that the city does not have yet.

    Every row is checked before anything is written, so a bad table changes nothing.
    """
    rows = read_reference_csv(
        path,
        {"code", "name_ko", "name_en", "department", "kind", "processing_days", "needs_location", "public_by_default"},
    )
    departments = {department.code: department for department in municipality.departments.all()}
    kinds = set(Category.Kind.values)
    existing = {category.code: category for category in municipality.categories.all()}
    new = []
    for line, row in enumerate(rows, start=2):
        if row["department"] not in departments:
            raise ReferenceDataError(f"{path.name} line {line}: unknown department {row['department']!r}")
        if row["kind"] not in kinds:
            raise ReferenceDataError(f"{path.name} line {line}: kind must be one of {', '.join(sorted(kinds))}")
        if not row["processing_days"].isdigit() or int(row["processing_days"]) < 1:
            raise ReferenceDataError(f"{path.name} line {line}: processing_days must be a positive number")
        category = Category(
            municipality=municipality,
            code=row["code"],
            name_ko=row["name_ko"],
            name_en=row["name_en"],
            name_ja=row.get("name_ja", ""),
            name_zh_hans=row.get("name_zh_hans", ""),
            department=departments[row["department"]],
            kind=row["kind"],
            processing_days=int(row["processing_days"]),
            needs_location=_yes_no(row, "needs_location", line),
            public_by_default=_yes_no(row, "public_by_default", line),
            example_ko=row.get("example_ko", ""),
        )
        if row["code"] not in existing:
            new.append(category)
    tourist_names_fill(existing, rows)
    Category.objects.bulk_create(new)
    return SyncResult(created=len(new), kept=len(rows) - len(new))


def _choices(text: str, path: Path, line: int) -> list[dict[str, str]]:
    choices = []
    for item in filter(None, text.split("|")):
        parts = item.split(":")
        if len(parts) != 3 or not all(parts):
            raise ReferenceDataError(f"{path.name} line {line}: a choice must read key:한국어:English, not {item!r}")
        choices.append({"key": parts[0], "name_ko": parts[1], "name_en": parts[2]})
    return choices


@transaction.atomic
def category_questions_sync(*, municipality: Municipality, path: Path) -> SyncResult:
    """Create the category questions in the table that the city does not have yet."""
    rows = read_reference_csv(path, {"category", "code", "datatype", "required", "order", "description_ko"})
    categories = {category.code: category for category in municipality.categories.all()}
    existing = set(
        CategoryQuestion.objects.filter(category__municipality=municipality).values_list("category__code", "code")
    )
    datatypes = set(CategoryQuestion.Datatype.values)
    new = []
    for line, row in enumerate(rows, start=2):
        if row["category"] not in categories:
            raise ReferenceDataError(f"{path.name} line {line}: unknown category {row['category']!r}")
        if row["datatype"] not in datatypes:
            raise ReferenceDataError(f"{path.name} line {line}: datatype must be one of {', '.join(sorted(datatypes))}")
        choices = _choices(row.get("values", ""), path, line)
        if row["datatype"].endswith("valuelist") != bool(choices):
            raise ReferenceDataError(f"{path.name} line {line}: only list questions have choices, and they need some")
        if (row["category"], row["code"]) in existing:
            continue
        new.append(
            CategoryQuestion(
                category=categories[row["category"]],
                code=row["code"],
                datatype=row["datatype"],
                required=_yes_no(row, "required", line),
                order=int(row["order"]) if row["order"].isdigit() else 1,
                description_ko=row["description_ko"],
                description_en=row.get("description_en", ""),
                values=choices,
            )
        )
    CategoryQuestion.objects.bulk_create(new)
    lookups.forget_categories(list({question.category for question in new}))  # bulk_create sends no signal
    return SyncResult(created=len(new), kept=len(rows) - len(new))
