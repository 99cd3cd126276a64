from django.db import migrations

SCHEMA = "rasa"  # apps.chat.tracker_store.SCHEMA, as it was when this migration was written


def create_schema(apps, schema_editor):
    # Rasa's SQL tracker store keeps its table in a schema of its own in the portal's PostgreSQL
    # database (chatbot/scripts/store_env.py); Rasa refuses to start if the schema is missing.
    # SQLite (the embedded default): Rasa has a file of its own, nothing to create here.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'CREATE SCHEMA IF NOT EXISTS "{SCHEMA}"')


class Migration(migrations.Migration):
    dependencies = [("chat", "0001_initial")]

    # Reversing leaves the schema and Rasa's trackers in place: they are Rasa's, not the portal's.
    operations = [migrations.RunPython(create_schema, migrations.RunPython.noop, elidable=False)]
