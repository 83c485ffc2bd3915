"""Swift lists names in byte order; PostgreSQL's default collation does not, so names use "C" there.

(SQLite compares text bytewise already.) Markers, delimiters and paging depend on this order.
"""

from django.db import migrations

COLUMNS = [("objects_container", "name", 256), ("objects_objectrecord", "name", 1024)]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, column, length in COLUMNS:
        schema_editor.execute(f'ALTER TABLE {table} ALTER COLUMN {column} TYPE varchar({length}) COLLATE "C"')


class Migration(migrations.Migration):
    dependencies = [("objects", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
