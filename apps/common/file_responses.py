"""Files the portal answers from disk itself: streamed as they are read (an async iterator, which
the ASGI server sends as it goes; Django reads a synchronous one whole into memory first, a 500 MB
film included), with byte ranges (a phone's video player seeks with them, Safari plays nothing
without), validators for the browser's cache and the type from the name. Behind nginx the same
checks run and nginx sends the bytes (`X-Accel-Redirect`)."""

import asyncio
import mimetypes
import re
import stat
from collections.abc import AsyncIterator
from pathlib import Path

from django.conf import settings
from django.db.models.fields.files import FieldFile
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, parse_http_date_safe

CHUNK_BYTES = 256 * 1024
# At most 18 digits: a longer number is no file's offset, and int() refuses thousands of digits.
_RANGE = re.compile(r"^bytes=([0-9]{0,18})-([0-9]{0,18})$")


def file_response(
    request: HttpRequest, path: Path, *, cache_control: str, content_type: str = "", accel_path: str = ""
) -> HttpResponseBase:
    """The file at path (404 when there is none), or the part of it the request's Range asks for.
    content_type: when the caller knows better than the name's guess (which varies by machine).
    accel_path: where nginx's internal location finds the same file, when nginx is to send it."""
    try:
        found = path.stat()
    except (OSError, ValueError):
        raise Http404 from None
    if not stat.S_ISREG(found.st_mode):
        raise Http404
    size = found.st_size
    etag = f'"{found.st_mtime_ns:x}-{size:x}"'
    last_modified = int(found.st_mtime)
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is not None:  # 304 Not Modified, or 412 for a failed If-Match
        response["Cache-Control"] = cache_control
        return response
    guessed, encoding = mimetypes.guess_type(path.name)
    content_type = content_type or guessed or "application/octet-stream"
    if accel_path:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = accel_path
    else:
        part = _wanted_range(request, size, etag, last_modified)
        if part == "unsatisfiable":
            response = HttpResponse(status=416, content_type="text/plain; charset=utf-8")
            response["Content-Range"] = f"bytes */{size}"
        else:
            start, length = part or (0, size)
            response = _body(request, path, start, length, content_type)
            if part:
                response.status_code = 206
                response["Content-Range"] = f"bytes {start}-{start + length - 1}/{size}"
    if encoding and response.status_code != 416:
        response["Content-Encoding"] = encoding
    response["Accept-Ranges"] = "bytes"
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    response["Cache-Control"] = cache_control
    response["X-Content-Type-Options"] = "nosniff"
    return response


def private_file_response(
    request: HttpRequest, file: FieldFile, *, cache_control: str, content_type: str = ""
) -> HttpResponseBase:
    """A file of a storage under PRIVATE_MEDIA_ROOT, once the caller has checked who may have it:
    sent by nginx from its internal location when NGINX_PRIVATE_FILES_LOCATION is set."""
    nginx = settings.NGINX_PRIVATE_FILES_LOCATION
    return file_response(
        request,
        Path(file.path),
        cache_control=cache_control,
        content_type=content_type,
        accel_path=f"{nginx.rstrip('/')}/{file.name}" if nginx else "",
    )


def _wanted_range(request: HttpRequest, size: int, etag: str, last_modified: int) -> tuple[int, int] | str | None:
    """(start, length) for one satisfiable byte range; "unsatisfiable"; None for the whole file
    (no Range, several ranges, a malformed one, or an If-Range the file no longer matches)."""
    header = request.headers.get("Range", "")
    if request.method != "GET" or not header:
        return None
    if_range = request.headers.get("If-Range")
    if if_range and if_range != etag and parse_http_date_safe(if_range) != last_modified:
        return None
    matched = _RANGE.match(header.strip())
    if matched is None or matched.group(1) == matched.group(2) == "":
        return None
    first, last = matched.groups()
    if first == "":  # the last N bytes
        length = min(int(last), size)
        return (size - length, length) if length else "unsatisfiable"
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or end < start:
        return "unsatisfiable"
    return start, end - start + 1


def _body(request: HttpRequest, path: Path, start: int, length: int, content_type: str) -> HttpResponseBase:
    if request.method == "HEAD":
        response = HttpResponse(content_type=content_type)
    else:
        response = StreamingHttpResponse(_chunks(path, start, length), content_type=content_type)
    response["Content-Length"] = str(length)
    return response


async def _chunks(path: Path, start: int, length: int) -> AsyncIterator[bytes]:
    # Read on a worker thread, so a slow disk holds up no other request on the event loop.
    with await asyncio.to_thread(path.open, "rb") as file:
        await asyncio.to_thread(file.seek, start)
        while length > 0:
            data = await asyncio.to_thread(file.read, min(CHUNK_BYTES, length))
            if not data:
                return
            length -= len(data)
            yield data
