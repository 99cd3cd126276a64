"""Shell snippets that another process of the stack runs, as a Celery task or an editor would."""

PUBLISH_ALERT = """
from wagtail.models import Locale
from content.models import SiteAlert
alert = SiteAlert(title={title!r}, message="<p>{title}</p>", level="danger", locale=Locale.get_default())
alert.save()
alert.save_revision().publish()
"""


def publish_alert_code(title: str) -> str:
    return PUBLISH_ALERT.format(title=title)


UPLOAD_VERSION = """
from django.core.files.base import ContentFile
from apps.opendata.models import Resource
from apps.opendata.services import resource_version_upload
resource = Resource.objects.get(dataset__slug={slug!r})
upload = ContentFile({content!r}, name="update.csv")
version = resource_version_upload(resource=resource, upload=upload, note="stack test")
print(resource.pk, version.number)
"""


def upload_version_code(slug: str, content: bytes) -> str:
    """An editor's upload of a new file version, queued for the running product's Celery worker."""
    return UPLOAD_VERSION.format(slug=slug, content=content)
