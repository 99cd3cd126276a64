"""Photos an API client sends ahead of the case they belong to (the chatbot asks for them before
the summary), and their removal when that case is never filed."""

from datetime import timedelta

from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from apps.common.photos import PhotoError, photo_clean
from apps.complaints.models import ApiClient, Photo
from apps.complaints.services.cases import ComplaintError

UNATTACHED_PHOTO_LIFETIME = timedelta(days=1)


def photo_upload(*, client: ApiClient, upload: UploadedFile) -> Photo:
    """A photo for a case the client is about to file (the chatbot takes photos before the summary)."""
    try:
        content = photo_clean(upload)
    except PhotoError as error:
        raise ComplaintError(error.message, code=error.code) from None
    photo = Photo(municipality=client.municipality, uploaded_by=client, size=content.size)
    photo.image.save(content.name, content, save=False)
    try:
        photo.save()
    except BaseException:
        photo.image.delete(save=False)
        raise
    return photo


def photos_delete_unattached() -> int:
    """Photos whose case was never filed, a day on: deleted with their files."""
    stale = Photo.objects.filter(complaint__isnull=True, uploaded_at__lt=timezone.now() - UNATTACHED_PHOTO_LIFETIME)
    count = 0
    for photo in stale.iterator():
        photo.image.delete(save=False)
        photo.delete()
        count += 1
    return count
