from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0008_notification_claim_lease"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="complaint",
            index=models.Index(fields=["-received_at", "-id"], name="complaint_inbox_newest_first"),
        ),
    ]
