"""A case transferred to an outside agency gets a status of its own (transferred_out), which closes
it: until now it stayed "transferred", like a case moved to another department of the city, and only
the transferred_to_agency field told the two apart."""

from django.db import migrations, models

STATUS_CHOICES = [
    ("received", "Received"),
    ("accepted", "In progress"),
    ("answered", "Answered"),
    ("closed_unfixed", "Closed without a fix"),
    ("transferred", "Transferred"),
    ("transferred_out", "Transferred to another agency"),
    ("duplicate", "Duplicate"),
    ("reopened", "Reopened"),
]


def _convert(apps, from_status: str, to_status: str) -> None:
    Complaint = apps.get_model("complaints", "Complaint")
    ComplaintEvent = apps.get_model("complaints", "ComplaintEvent")
    cases = Complaint.objects.filter(status=from_status).exclude(transferred_to_agency="")
    for case in cases.iterator():
        # The timeline's last status line is the transfer to the agency: it names the new status too.
        last = (
            ComplaintEvent.objects.filter(complaint=case, kind="status", to_status=from_status)
            .order_by("-created_at", "-pk")
            .first()
        )
        if last is not None:
            ComplaintEvent.objects.filter(pk=last.pk).update(to_status=to_status)
    cases.update(status=to_status)


def agency_transfers_finished(apps, schema_editor):
    _convert(apps, "transferred", "transferred_out")


def agency_transfers_back(apps, schema_editor):
    _convert(apps, "transferred_out", "transferred")


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0005_inbox_index"),
    ]

    operations = [
        migrations.AlterField(
            model_name="complaint",
            name="status",
            field=models.CharField(choices=STATUS_CHOICES, default="received", max_length=20, verbose_name="status"),
        ),
        migrations.AlterField(
            model_name="complaintevent",
            name="from_status",
            field=models.CharField(blank=True, choices=STATUS_CHOICES, max_length=20),
        ),
        migrations.AlterField(
            model_name="complaintevent",
            name="to_status",
            field=models.CharField(blank=True, choices=STATUS_CHOICES, max_length=20),
        ),
        migrations.RunPython(agency_transfers_finished, agency_transfers_back),
    ]
