from html import unescape

from django.conf import settings
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from wagtail.rich_text import expand_db_html

from content.models import SiteAlert
from content.selectors import site_alerts_showing

LANGUAGE_CODES = [code for code, _ in settings.LANGUAGES]


class SiteAlertSerializer(serializers.ModelSerializer):
    language = serializers.CharField(source="locale.language_code")
    message_html = serializers.SerializerMethodField(help_text="The message as pages show it.")
    message_text = serializers.SerializerMethodField(help_text="The message as plain text (for the chatbot).")

    class Meta:
        model = SiteAlert
        fields = ["title", "level", "message_html", "message_text", "language", "starts_at", "ends_at"]

    def get_message_html(self, alert: SiteAlert) -> str:
        return expand_db_html(alert.message)

    def get_message_text(self, alert: SiteAlert) -> str:
        return " ".join(unescape(strip_tags(alert.message)).split())


@extend_schema(
    parameters=[
        OpenApiParameter(
            "lang",
            str,
            enum=LANGUAGE_CODES,
            description="The reader's language (Korean when not given); an alert not yet translated comes in "
            "Korean. Any other value is a 400.",
        )
    ],
    summary="The site-wide alerts showing now (e.g. a river walkway closed), most serious first",
)
class SiteAlertListView(generics.ListAPIView):
    """What every page shows in its alert bar, as data: the chatbot answers "is the walkway open?"
    from it."""

    serializer_class = SiteAlertSerializer
    pagination_class = None
    authentication_classes: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator asks only for the model
            return SiteAlert.objects.none()
        language = self.request.query_params.get("lang", settings.LANGUAGE_CODE)
        if language not in LANGUAGE_CODES:
            raise ValidationError(
                {"lang": [_("Unknown language; use one of: %(codes)s.") % {"codes": ", ".join(LANGUAGE_CODES)}]}
            )
        return site_alerts_showing(language_code=language)
