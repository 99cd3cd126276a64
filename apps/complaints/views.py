"""Pages and files for residents. Thin: the work is in services and selectors."""

from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_GET

from apps.complaints import selectors
from apps.complaints.models import Complaint, Photo

TRACKED_CASES_SESSION_KEY = "complaints_tracked"


def reporter_remember(request: HttpRequest, complaint: Complaint) -> None:
    """This browser proved it holds the case's tracking token (or just filed it): let it see the
    case's photos without repeating the token in every image address."""
    tracked = set(request.session.get(TRACKED_CASES_SESSION_KEY, []))
    if complaint.pk not in tracked:
        request.session[TRACKED_CASES_SESSION_KEY] = sorted(tracked | {complaint.pk})


def _may_see_photo(request: HttpRequest, photo: Photo) -> bool:
    if photo.complaint_id is None:
        return False
    if selectors.photo_is_public(photo) or photo.complaint_id in request.session.get(TRACKED_CASES_SESSION_KEY, []):
        return True
    return selectors.complaint_list_for_staff(user=request.user).filter(pk=photo.complaint_id).exists()


@require_GET
def photo(request: HttpRequest, uuid) -> FileResponse:
    """A case photo, for whoever may see its case; 404 alike for a photo that does not exist."""
    found = Photo.objects.select_related("complaint__category").filter(uuid=uuid).first()
    if found is None or not _may_see_photo(request, found):
        raise Http404
    response = FileResponse(found.image.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
