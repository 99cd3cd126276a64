"""What the dataset page draws from a published version: a bar chart of a numeric column and the
points (or shapes) for its map. Reads only; the table itself comes from selectors.datastore_query."""

import json
import re
from dataclasses import dataclass

from django.utils import formats

from apps.opendata.models import DatastoreRow, Resource, ResourceVersion
from apps.opendata.selectors import NUMERIC_TYPES, datastore_query

CHART_BARS = 30  # more bars than this no longer read as a chart on a phone
MAP_POINT_LIMIT = 5000  # markers a phone still draws smoothly
GEOJSON_MAX_BYTES = 20 * 1024 * 1024  # larger files are offered for download, not drawn

# Column names that hold WGS84 coordinates, compared without spaces, brackets or case:
# 위도, 위도(WGS84), latitude, lat_wgs84, 경도, lng, lon, longitude...
_LATITUDE = re.compile(r"^(위도|lat|latitude|lat_?wgs84|latitude_?wgs84|위도wgs84|wgs84위도)$")
_LONGITUDE = re.compile(r"^(경도|lng|lon|long|longitude|lo?ng_?wgs84|longitude_?wgs84|경도wgs84|wgs84경도)$")


def _compact(name: str) -> str:
    return re.sub(r"[\s()\[\]{}]", "", name).lower()


def coordinate_columns(fields: list[dict]) -> tuple[str, str] | None:
    """The (latitude, longitude) columns of a table schema, or None when it has no such pair."""
    latitude = next((f["name"] for f in fields if _LATITUDE.match(_compact(f["name"]))), None)
    longitude = next((f["name"] for f in fields if _LONGITUDE.match(_compact(f["name"]))), None)
    return (latitude, longitude) if latitude and longitude else None


def is_geojson(resource: Resource, version: ResourceVersion) -> bool:
    return resource.format == Resource.Format.GEOJSON or version.original_name.lower().endswith(".geojson")


def numeric_columns(fields: list[dict]) -> list[str]:
    """Columns a chart can measure: numbers that are not coordinates."""
    coordinates = coordinate_columns(fields) or ()
    return [f["name"] for f in fields if f.get("type") in NUMERIC_TYPES and f["name"] not in coordinates]


NAME_HINTS = ("명", "이름", "name", "title")
CODE_HINTS = ("번호", "코드", "id", "code", "no")


def default_label_column(fields: list[dict]) -> str | None:
    """What a bar is usually called: a column named like a name (주차장명, 공원명, name), else the
    first text column that is not a code (관리번호, id), else the first text column."""
    coordinates = coordinate_columns(fields) or ()
    texts = [f["name"] for f in fields if f.get("type") not in NUMERIC_TYPES and f["name"] not in coordinates]
    named = [name for name in texts if name.lower().endswith(NAME_HINTS)]
    plain = [name for name in texts if not name.lower().endswith(CODE_HINTS)]
    for candidates in (named, plain, texts):
        if candidates:
            return candidates[0]
    return fields[0]["name"] if fields else None


def default_value_column(numeric: list[str]) -> str | None:
    """The first numeric column that is a measure rather than a number used as a code (코스번호)."""
    measures = [name for name in numeric if not name.lower().endswith(CODE_HINTS)]
    return (measures or numeric or [None])[0]


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str  # the value as the reader's language writes numbers
    percent: float  # bar length, as a share of the chart's width
    y: int  # top of the bar's row, in pixels


@dataclass(frozen=True)
class BarChart:
    label_column: str
    value_column: str
    bars: list[Bar]
    row_count: int  # rows in the table, of which the chart shows the first len(bars)

    ROW_HEIGHT = 48  # label line, then the bar with its value

    @property
    def height(self) -> int:
        return len(self.bars) * self.ROW_HEIGHT


# Bars take at most this share of the width, so the value written after the longest still fits.
BAR_MAX_PERCENT = 72


def number_text(value: float) -> str:
    rounded = int(value) if float(value).is_integer() else round(value, 2)
    return formats.number_format(rounded, use_l10n=True, force_grouping=True)


def bar_chart(
    version: ResourceVersion,
    *,
    label_column: str,
    value_column: str,
    sort: list[tuple[str, bool]] | None = None,
    limit: int = CHART_BARS,
) -> BarChart:
    """The first rows (in the table's current order) as horizontal bars; rows without a number are
    left out. Raises DatastoreQueryError for a column the table does not have."""
    page = datastore_query(version=version, fields=[label_column, value_column], sort=sort, offset=0, limit=limit)
    measured = [
        (row, float(row[value_column]))
        for row in page.rows
        if isinstance(row[value_column], int | float) and not isinstance(row[value_column], bool)
    ]
    largest = max((abs(value) for _row, value in measured), default=0) or 1
    bars = [
        Bar(
            label="" if row[label_column] is None else str(row[label_column]),
            value=value,
            text=number_text(value),
            percent=round(abs(value) / largest * BAR_MAX_PERCENT, 2),
            y=index * BarChart.ROW_HEIGHT,
        )
        for index, (row, value) in enumerate(measured)
    ]
    return BarChart(label_column=label_column, value_column=value_column, bars=bars, row_count=page.total)


def _coordinate(value: object, low: float, high: float) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if low <= number <= high else None  # NaN fails the comparison too


def _feature_collection(features: list[dict], truncated: bool) -> dict:
    return {"type": "FeatureCollection", "features": features, "truncated": truncated}


def row_points(version: ResourceVersion, *, limit: int = MAP_POINT_LIMIT) -> dict:
    """The rows with valid WGS84 coordinates as a GeoJSON FeatureCollection of points, at most
    `limit` of them in file order; "truncated" says whether more rows had coordinates."""
    fields = version.table_fields
    columns = coordinate_columns(fields)
    if columns is None:
        return _feature_collection([], False)
    latitude_column, longitude_column = columns
    label_column = default_label_column(fields)
    # Coordinates are checked below: Django's has_key lookups escape Korean keys on SQLite.
    rows = DatastoreRow.objects.filter(version=version).order_by("number").values_list("number", "data")
    features: list[dict] = []
    truncated = False
    for number, data in rows.iterator(chunk_size=2000):
        latitude = _coordinate(data.get(latitude_column), -90, 90)
        longitude = _coordinate(data.get(longitude_column), -180, 180)
        if latitude is None or longitude is None:
            continue
        if len(features) == limit:
            truncated = True
            break
        label = data.get(label_column) if label_column else None
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [longitude, latitude]},
                "properties": {"row": number, "label": str(label) if label not in (None, "") else f"#{number}"},
            }
        )
    return _feature_collection(features, truncated)


class GeoJSONUnreadable(ValueError):
    """The published GeoJSON file is too large to draw or is not GeoJSON."""


_GEOMETRY_TYPES = {"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon"}
_LABEL_KEYS = ("name", "title", "이름", "명칭", "시설명", "name_ko")


def _feature_label(properties: dict, position: int) -> str:
    for key in _LABEL_KEYS:
        if properties.get(key) not in (None, ""):
            return str(properties[key])
    text = next((value for value in properties.values() if isinstance(value, str) and value), None)
    return text or f"#{position}"


def file_features(version: ResourceVersion, *, limit: int = MAP_POINT_LIMIT) -> dict:
    """The features of a published GeoJSON file, with only a label kept of their properties, at
    most `limit` of them. Raises GeoJSONUnreadable for a file too large to draw or not GeoJSON."""
    if version.size > GEOJSON_MAX_BYTES:
        raise GeoJSONUnreadable("too large")
    try:
        with version.upload.open("rb") as file:
            document = json.loads(file.read(GEOJSON_MAX_BYTES + 1))
    except (OSError, ValueError) as error:
        raise GeoJSONUnreadable(str(error)) from None
    if not isinstance(document, dict):
        raise GeoJSONUnreadable("not an object")
    if document.get("type") == "FeatureCollection":
        candidates = document.get("features") or []
    elif document.get("type") == "Feature":
        candidates = [document]
    else:
        candidates = [{"type": "Feature", "geometry": document, "properties": {}}]
    features: list[dict] = []
    truncated = False
    for position, feature in enumerate(candidates, start=1):
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        if not isinstance(geometry, dict) or geometry.get("type") not in _GEOMETRY_TYPES:
            continue
        if len(features) == limit:
            truncated = True
            break
        properties = feature.get("properties") if isinstance(feature.get("properties"), dict) else {}
        features.append(
            {
                "type": "Feature",
                "geometry": geometry,
                "properties": {"row": position, "label": _feature_label(properties, position)},
            }
        )
    return _feature_collection(features, truncated)


def has_map(resource: Resource, version: ResourceVersion) -> bool:
    """Whether the dataset page offers a map of this version."""
    if is_geojson(resource, version):
        return version.size <= GEOJSON_MAX_BYTES
    return coordinate_columns(version.table_fields) is not None


def map_features(resource: Resource, version: ResourceVersion, *, limit: int = MAP_POINT_LIMIT) -> dict:
    """The map's GeoJSON: the file's own features for GeoJSON, else the rows' coordinates."""
    if is_geojson(resource, version):
        return file_features(version, limit=limit)
    return row_points(version, limit=limit)
