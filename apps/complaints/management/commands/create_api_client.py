from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from apps.complaints.services import api_client_create
from apps.municipalities.models import Municipality


class Command(BaseCommand):
    help = "Create a client for the complaint APIs (Open311, the chatbot) and print its key once."

    def add_arguments(self, parser):
        parser.add_argument("name", help="who the key is for, e.g. 'Uijeongbu app'")
        parser.add_argument("--municipality", default=settings.DEFAULT_MUNICIPALITY)
        parser.add_argument(
            "--consent-purpose",
            default="",
            help="set only if the client asks residents for consent itself; their contact details are then kept",
        )

    def handle(self, *args, name: str, municipality: str, consent_purpose: str, **options):
        city = Municipality.objects.filter(code=municipality).first()
        if city is None:
            raise CommandError(f"Unknown municipality {municipality!r}.")
        try:
            client, key = api_client_create(municipality=city, name=name, consent_purpose=consent_purpose)
        except ValidationError as error:
            raise CommandError(error.messages[0]) from None
        self.stdout.write(f"{client.name}: {key}")
