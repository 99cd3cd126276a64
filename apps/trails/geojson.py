"""The courses and markers as GeoJSON, for other apps and for the open data catalogue (which
publishes it as a dataset: apps/opendata/trails_dataset.py): every published course with its line,
figures and links, and its markers with their positions, names and permanent URLs."""

import json

from apps.places.selectors import place_permanent_url
from apps.trails.models import TrailIndexPage, TrailMarker, TrailPage


def _english_titles(trails: list[TrailPage]) -> dict:
    return dict(
        TrailPage.objects.live()
        .filter(translation_key__in=[trail.translation_key for trail in trails], locale__language_code="en")
        .values_list("translation_key", "title")
    )


def _course_feature(trail: TrailPage, english_title: str) -> dict:
    return {
        "type": "Feature",
        "geometry": {"type": "LineString", "coordinates": [[row[1], row[0]] for row in trail.track]},
        "properties": {
            "kind": "course",
            "course_number": trail.course_number,
            "name_ko": trail.title,
            "name_en": english_title,
            "start_ko": trail.start_name,
            "end_ko": trail.end_name,
            "distance_km": round(trail.distance_m / 1000, 2) if trail.distance_m is not None else None,
            "published_km": float(trail.official_distance_km) if trail.official_distance_km is not None else None,
            "walking_minutes": trail.walking_minutes,
            "ascent_m": trail.ascent_m,
            "descent_m": trail.descent_m,
            "highest_m": trail.highest_m,
            "kcal": trail.kcal,
            "difficulty": trail.difficulty,
            "approximate": trail.track_is_approximate,
            "url": trail.full_url,
            "gpx_url": trail.full_url + trail.reverse_subpage("gpx"),
        },
    }


def _marker_feature(trail: TrailPage, marker: TrailMarker) -> dict:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [marker.longitude, marker.latitude]},
        "properties": {
            "kind": "marker",
            "course_number": trail.course_number,
            "number": marker.number,
            "name_ko": marker.name_ko,
            "name_en": marker.name_en,
            "along_km": round(marker.along_m / 1000, 2),
            "stamp_point": marker.is_stamp_point,
            "facilities": " ".join(marker.facilities),
            "code": marker.place.code,
            "url": place_permanent_url(marker.place),
        },
    }


def trails_geojson(index: TrailIndexPage) -> bytes:
    """The index's published courses (Korean pages, in course order) and their markers as a
    FeatureCollection. The same pages give the same bytes, so an unchanged file is recognised."""
    trails = sorted(
        (trail for trail in TrailPage.objects.child_of(index).live().public().specific() if trail.track),
        key=lambda trail: (trail.course_number or 999, trail.title),
    )
    english = _english_titles(trails)
    features = []
    for trail in trails:
        features.append(_course_feature(trail, english.get(trail.translation_key, "")))
        markers = trail.markers.select_related("place__municipality__site").order_by("number")
        features.extend(_marker_feature(trail, marker) for marker in markers if marker.place)
    document = {"type": "FeatureCollection", "features": features}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()
