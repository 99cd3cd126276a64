"""On PostgreSQL the database itself refuses overlapping holding bookings of one space (an exclusion
constraint over tstzrange; btree_gist lets the space id take part). SQLite has no such constraint:
there the row lock in sharing_services is the only guard, which is enough on one connection."""

from django.db import migrations

CONSTRAINT = "mobility_booking_no_overlap"


def add_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        f"ALTER TABLE mobility_sharingbooking ADD CONSTRAINT {CONSTRAINT} EXCLUDE USING gist "
        "(space_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&) "
        "WHERE (status IN ('requested', 'approved'))"
    )


def drop_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE mobility_sharingbooking DROP CONSTRAINT IF EXISTS {CONSTRAINT}")


class Migration(migrations.Migration):
    dependencies = [("mobility", "0002_resident_sharing")]

    operations = [migrations.RunPython(add_constraint, drop_constraint)]
