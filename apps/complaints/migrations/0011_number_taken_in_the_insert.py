"""complaint_number_take(city, year) on PostgreSQL: the next number of a city's year, taken in the
statement that stores the case (apps.complaints.services.cases._complaint_store). SQLite numbers
cases in Python under its database-wide write lock."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION complaint_number_take(city bigint, for_year integer) RETURNS varchar
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    taken integer;
BEGIN
    -- The row stays locked until the caller's transaction ends: numbers are gap-free and in order.
    UPDATE complaints_complaintsequence SET last = last + 1
    WHERE municipality_id = city AND year = for_year RETURNING last INTO taken;
    IF NOT FOUND THEN  -- the city's first case of the year
        INSERT INTO complaints_complaintsequence AS counter (municipality_id, year, last)
        VALUES (city, for_year, 1)
        ON CONFLICT (municipality_id, year) DO UPDATE SET last = counter.last + 1
        RETURNING last INTO taken;
    END IF;
    RETURN for_year || '-' || lpad(taken::text, greatest(6, length(taken::text)), '0');
END
$$;
"""
DROP = "DROP FUNCTION IF EXISTS complaint_number_take(bigint, integer);"


def on_postgresql(sql: str):
    def run(apps, schema_editor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0010_names_in_japanese_and_chinese"),
    ]

    operations = [migrations.RunPython(on_postgresql(CREATE), on_postgresql(DROP))]
