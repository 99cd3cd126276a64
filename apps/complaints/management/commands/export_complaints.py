from django.core.management.base import BaseCommand
from django.utils import timezone

from apps.complaints.exports import complaints_export_write
from apps.municipalities.models import Municipality


class Command(BaseCommand):
    help = (
        "Write today's de-identified complaints file of each city to MEDIA_ROOT/opendata/<city>/ "
        "(Celery beat does this every night)."
    )

    def handle(self, *args, **options):
        today = timezone.localdate()
        for municipality in Municipality.objects.all():
            path = complaints_export_write(municipality=municipality, today=today)
            self.stdout.write(f"{municipality.code}: {path}")
