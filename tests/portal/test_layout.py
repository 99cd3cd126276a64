"""No module imports another area's internals: apps/common depends on no app, municipalities only on
common, places (the geography areas share) only on those two, trails, mobility, transit and rivers only on
those three, and chat, open data and complaints reach into each other only through the entries
below, each with its reason.
Read from the source with ast, so a new import that crosses a line fails here before it is reviewed."""

import ast
from collections import defaultdict
from pathlib import Path

import pytest

APPS = Path(__file__).resolve().parents[2] / "apps"
AREAS = {"chat", "complaints", "opendata", "trails"}

# (importing area, module it imports) -> why that is the area's public entry and not an internal.
ALLOWED = {
    (
        "chat",
        "apps.complaints.models",
    ): "a conversation keeps a foreign key to the case it filed; the bot's ApiClient row",
    ("chat", "apps.complaints.services"): "the chat upload files photos through photo_upload, the one service entry",
    ("chat", "apps.complaints.photos"): "the widget offers and checks complaints' own MAX_PHOTOS",
    ("chat", "apps.complaints.signals"): "chat listens to case_filed_in_conversation, the signal complaints sends",
    ("opendata", "apps.complaints.services"): "the data request and data error forms file cases via complaint_submit",
    ("opendata", "apps.complaints.selectors"): "the open-data category a data request is filed under (category_list)",
    ("opendata", "apps.complaints.intake"): "every form that files a case shares the report limits and the receipt",
    ("opendata", "apps.complaints.exports"): "open data publishes complaints' nightly export (the one direction)",
    ("opendata", "apps.complaints.models"): "Complaint.Channel names the channel of a case it files",
    ("opendata", "apps.complaints.forms"): "its contact and consent fields are the report form's own, asked alike",
    ("opendata", "apps.trails.geojson"): "open data publishes the trails' GeoJSON as a dataset (the one direction)",
    ("opendata", "apps.trails.models"): "the trails dataset is versioned when a TrailPage is published or unpublished",
}


def _imports(path: Path) -> set[str]:
    """The modules a file imports, anywhere in it (imports inside functions too); `from apps.x import
    y` counts as apps.x.y, since y is a module of that package."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module.count(".") == 1 and node.module.startswith("apps."):
                found.update(f"{node.module}.{alias.name}" for alias in node.names)
            else:
                found.add(node.module)
    return found


def _imports_by_area() -> dict[str, dict[str, set[str]]]:
    """area -> imported module -> the files that import it, for imports of the portal's own code."""
    by_area: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for path in APPS.glob("*/**/*.py"):
        area = path.relative_to(APPS).parts[0]
        for module in _imports(path):
            if module.split(".")[0] in ("apps", "portal", "content"):
                by_area[area][module].add(str(path.relative_to(APPS.parent)))
    return by_area


def _other_area(module: str) -> str:
    parts = module.split(".")
    return parts[1] if parts[0] == "apps" and len(parts) > 1 else parts[0]


def test_no_app_imports_the_project_or_the_site_pages():
    crossing = {
        module: files
        for modules in _imports_by_area().values()
        for module, files in modules.items()
        if module.split(".")[0] in ("portal", "content")
    }
    assert crossing == {}


def test_common_imports_no_app():
    imported = _imports_by_area()["common"]
    assert {module: files for module, files in imported.items() if _other_area(module) != "common"} == {}


def test_municipalities_imports_only_common():
    imported = _imports_by_area()["municipalities"]
    assert {
        module: files for module, files in imported.items() if _other_area(module) not in ("municipalities", "common")
    } == {}


def _imports_outside(area: str, allowed: set[str]) -> dict[str, set[str]]:
    imported = _imports_by_area()[area]
    return {module: files for module, files in imported.items() if _other_area(module) not in allowed | {area}}


def test_places_imports_only_municipalities_and_common():
    assert _imports_outside("places", {"municipalities", "common"}) == {}


def test_trails_imports_only_the_shared_ground():
    # An effect on another area travels as a signal declared in places, never as an import.
    assert _imports_outside("trails", {"municipalities", "common", "places"}) == {}


@pytest.mark.parametrize("area", ["mobility", "transit", "rivers"])
def test_parking_transit_and_rivers_import_only_the_shared_ground(area):
    # Trail pages show departures through apps/places/departures.py, which transit fills.
    assert _imports_outside(area, {"municipalities", "common", "places"}) == {}


def test_archive_imports_only_the_shared_ground():
    # Items lie at places; a trail marker will show the ones near it through places, not an import.
    assert _imports_outside("archive", {"municipalities", "common", "places"}) == {}


def test_stamps_imports_only_the_shared_ground_and_trails():
    # The stamp tour is part of the trails area: it reads courses and markers; trails never imports it.
    assert _imports_outside("stamps", {"municipalities", "common", "places", "trails"}) == {}


def test_chat_opendata_and_complaints_reach_each_other_only_through_their_public_entries():
    crossing = {
        (area, module): files
        for area, modules in _imports_by_area().items()
        if area in AREAS
        for module, files in modules.items()
        if _other_area(module) in AREAS - {area}
    }
    assert {key: files for key, files in crossing.items() if key not in ALLOWED} == {}
    # The list stays true: an entry nobody needs any more goes.
    assert set(ALLOWED) - set(crossing) == set()


def test_complaints_depends_on_neither_chat_nor_opendata():
    imported = _imports_by_area()["complaints"]
    assert {module for module in imported if _other_area(module) in ("chat", "opendata")} == set()
