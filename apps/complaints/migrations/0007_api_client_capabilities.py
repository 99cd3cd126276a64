from django.db import migrations, models


def rename_duplicates(apps, schema_editor):
    """Names become unique per city: the oldest client keeps its name, later ones get " (2)", " (3)"...
    Nothing is deleted: their keys, photos and cases stay as they were."""
    ApiClient = apps.get_model("complaints", "ApiClient")
    taken = set(ApiClient.objects.values_list("municipality_id", "name"))
    seen = set()
    for client in ApiClient.objects.order_by("pk"):
        if (client.municipality_id, client.name) not in seen:
            seen.add((client.municipality_id, client.name))
            continue
        number = 2
        while (client.municipality_id, name := f"{client.name[:90]} ({number})") in taken:
            number += 1
        taken.add((client.municipality_id, name))
        client.name = name
        client.save(update_fields=["name"])


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0006_agency_transfer_finished"),
    ]

    operations = [
        migrations.AddField(
            model_name="apiclient",
            name="can_look_up_by_phone",
            field=models.BooleanField(default=False, verbose_name="may look up cases by the reporter's phone digits"),
        ),
        migrations.RunPython(rename_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="apiclient",
            constraint=models.UniqueConstraint(
                fields=("municipality", "name"), name="complaints_apiclient_unique_name"
            ),
        ),
    ]
