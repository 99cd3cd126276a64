"""Datastore rows keyed by (version, number) instead of an id of their own (decision 23).

Django does not change the primary key of an existing table, so the state changes on its own and
the table is changed by hand: in place on PostgreSQL, and on SQLite, which cannot alter a primary
key, by moving the rows to a table made anew from the new state."""

from django.db import migrations, models


def key_rows_by_version_and_number(apps, schema_editor):
    model = apps.get_model("opendata", "DatastoreRow")
    quote = schema_editor.quote_name
    table = quote(model._meta.db_table)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f'ALTER TABLE {table} DROP CONSTRAINT "datastore_row_unique", DROP COLUMN "id", '
            'ADD PRIMARY KEY ("version_id", "number")'
        )
        return
    previous = quote(f"{model._meta.db_table}__keyed_by_id")
    schema_editor.execute(f"ALTER TABLE {table} RENAME TO {previous}")
    schema_editor.create_model(model)
    schema_editor.execute(
        f'INSERT INTO {table} ("version_id", "number", "data") SELECT "version_id", "number", "data" FROM {previous}'
    )
    schema_editor.execute(f"DROP TABLE {previous}")


class Migration(migrations.Migration):
    dependencies = [
        ("opendata", "0003_datastore_rows_without_foreign_key_check"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveConstraint(model_name="datastorerow", name="datastore_row_unique"),
                migrations.RemoveField(model_name="datastorerow", name="id"),
                migrations.AddField(
                    model_name="datastorerow",
                    name="pk",
                    field=models.CompositePrimaryKey(
                        "version", "number", blank=True, editable=False, primary_key=True, serialize=False
                    ),
                ),
            ],
        ),
        migrations.RunPython(key_rows_by_version_and_number, elidable=False),
    ]
