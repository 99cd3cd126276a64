"""Uploaded and generated public files under MEDIA_ROOT (open-data exports, guide images) on the
embedded default; in production nginx serves that folder itself."""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.http import Http404, HttpRequest, HttpResponseBase
from django.utils._os import safe_join
from django.views.decorators.http import require_safe

from apps.common.file_responses import file_response

# The nightly exports change under the same name; a browser asks again after this and gets a 304.
MAX_AGE = 300


@require_safe
def public_file(request: HttpRequest, path: str) -> HttpResponseBase:
    try:
        found = Path(safe_join(settings.MEDIA_ROOT, path))
    except SuspiciousFileOperation:
        raise Http404 from None
    return file_response(request, found, cache_control=f"public, max-age={MAX_AGE}")
