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
