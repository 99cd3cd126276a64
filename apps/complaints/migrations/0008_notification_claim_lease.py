from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0007_api_client_capabilities"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="claimed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
