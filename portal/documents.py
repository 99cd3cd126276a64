"""Wagtail documents (the guides' audio, 3D models, PDFs) answered as Wagtail answers them (the
name must match, `before_serve_document` hooks such as collection privacy, the `document_served`
signal, inline or download by type, a CSP that runs nothing) but sent by apps/common/file_responses:
in byte ranges, which Safari needs to play an audio guide at all, and streamed, where Wagtail's
view answers with the whole file, read into memory under ASGI."""

from pathlib import Path

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe
from wagtail import hooks
from wagtail.documents import get_document_model
from wagtail.documents.models import document_served

from apps.common.file_responses import file_response

# Replacing a document's file gives it a new name, so its address; a browser revalidates after this.
MAX_AGE = 300


@require_safe
def serve(request: HttpRequest, document_id: str, document_filename: str) -> HttpResponseBase:
    Document = get_document_model()
    document = get_object_or_404(Document, id=document_id)
    if document.filename != document_filename:
        raise Http404("This document does not match the given filename.")
    for hook in hooks.get_hooks("before_serve_document"):
        answer = hook(document, request)
        if isinstance(answer, HttpResponse):
            return answer
    document_served.send(sender=Document, instance=document, request=request)
    restricted = document.collection.get_view_restrictions().exists()
    response = file_response(
        request,
        Path(document.file.path),
        cache_control="private, no-store" if restricted else f"public, max-age={MAX_AGE}",
        content_type=document.content_type,
    )
    if response.status_code in (200, 206):
        response["Content-Disposition"] = document.content_disposition
        response["Content-Security-Policy"] = "default-src 'none'"
    return response
