"""GPX in (an editor's upload, read by gpxpy) and out (the download any GPS app opens).

Every way an upload can be unusable ends in GpxError with a message for the editor, in the
admin's language; nothing is stored until a file passes.
"""

from xml.etree import ElementTree

import gpxpy
import gpxpy.gpx
from django.utils.translation import gettext_lazy as _

from apps.trails.track import Point

GPX_MAX_BYTES = 5 * 1024 * 1024  # a day's walk logged every second is about 2 MB
GPX_MAX_POINTS = 50_000


class GpxError(ValueError):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def gpx_size_check(size: int) -> None:
    """Refuses a file over the limit before it is read."""
    if size > GPX_MAX_BYTES:
        raise GpxError(
            _("The file is %(size)s MB; a GPX file may be at most %(limit)s MB.")
            % {"size": round(size / 1024 / 1024, 1), "limit": GPX_MAX_BYTES // 1024 // 1024}
        )


def parse_gpx(data: bytes) -> list[Point]:
    """The points of the file's first track (all its segments, in order), or of its first route
    when it has no track."""
    gpx_size_check(len(data))
    if not data.strip():
        raise GpxError(_("The file is empty."))
    not_gpx = GpxError(_("This is not a GPX file. Export the track from your GPS app as GPX (.gpx)."))
    text = data.removeprefix(b"\xef\xbb\xbf").lstrip()
    # Not XML at all (a photo, a PDF), or XML with a document type, which GPX never needs and
    # whose entities a parser could expand without end.
    if not text.startswith(b"<") or b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise not_gpx
    try:
        root = _root_name(text)
        document = gpxpy.parse(text.decode("utf-8"))
    except (ElementTree.ParseError, gpxpy.gpx.GPXXMLSyntaxException, UnicodeDecodeError) as error:
        raise GpxError(
            _("The file is damaged: it is not well-formed XML (%(detail)s).") % {"detail": str(error)[:120]}
        ) from error
    except (gpxpy.gpx.GPXException, ValueError, TypeError) as error:  # a number or date gpxpy cannot read
        raise GpxError(
            _("The file is damaged: a value in it cannot be read (%(detail)s).") % {"detail": str(error)[:120]}
        ) from error
    if root != "gpx":  # gpxpy reads any XML (a KML file) as an empty GPX
        raise not_gpx
    raw = [point for track in document.tracks[:1] for segment in track.segments for point in segment.points]
    if not raw and document.routes:
        raw = list(document.routes[0].points)
    if not raw:
        raise GpxError(_("The file has no track: it holds only waypoints or nothing at all. Upload a recorded track."))
    if len(raw) > GPX_MAX_POINTS:
        raise GpxError(
            _("The track has %(count)s points; at most %(limit)s are accepted. Simplify it in your GPS app first.")
            % {"count": len(raw), "limit": GPX_MAX_POINTS}
        )
    points = [Point(point.latitude, point.longitude, point.elevation) for point in raw]
    if any(abs(point.latitude) > 90 or abs(point.longitude) > 180 for point in points):
        raise GpxError(_("The file is damaged: a point lies outside the range of latitudes and longitudes."))
    if len({(point.latitude, point.longitude) for point in points}) < 2:
        raise GpxError(_("The track has only one point. A trail needs at least two different points."))
    return _fill_elevations(points)


def _root_name(data: bytes) -> str:
    """The name of the document's first element, without its namespace."""
    parser = ElementTree.XMLPullParser(events=("start",))
    parser.feed(data)
    for _event, element in parser.read_events():
        return element.tag.rsplit("}", 1)[-1]
    return ""


def _fill_elevations(points: list[Point]) -> list[Point]:
    """Points without an elevation take the one of the nearest point before them that has one
    (after them, at the start); a track with no elevation at all stays without."""
    if all(point.elevation is None for point in points):
        return points
    first_known = next(point.elevation for point in points if point.elevation is not None)
    filled, last = [], first_known
    for point in points:
        last = point.elevation if point.elevation is not None else last
        filled.append(Point(point.latitude, point.longitude, last))
    return filled


def build_gpx(*, name: str, description: str, line: list[Point], waypoints: list[tuple[str, float, float]]) -> str:
    """A GPX 1.1 document: the trail as one track, its markers as waypoints."""
    document = gpxpy.gpx.GPX()
    document.name, document.description, document.creator = name, description, "Uijeongbu citizen portal"
    track = gpxpy.gpx.GPXTrack(name=name)
    segment = gpxpy.gpx.GPXTrackSegment()
    segment.points = [gpxpy.gpx.GPXTrackPoint(p.latitude, p.longitude, elevation=p.elevation) for p in line]
    track.segments.append(segment)
    document.tracks.append(track)
    for waypoint_name, latitude, longitude in waypoints:
        document.waypoints.append(gpxpy.gpx.GPXWaypoint(latitude, longitude, name=waypoint_name))
    return document.to_xml(version="1.1")
