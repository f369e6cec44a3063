# No index holds a traced person's category, and PostgreSQL keeps a fifth of each page of the
# table free: a re-ranking's UPDATE of 10⁴ categories is then HOT, with no index entry (see
# TracedPerson). Rows written before keep their full pages until the table is rewritten
# (VACUUM FULL tracing_tracedperson, or pg_repack without the lock; docs/deployment.md).

import fangkong.scope
from django.db import migrations


def free_space(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE tracing_tracedperson SET (fillfactor = 80)")


def full_pages(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE tracing_tracedperson RESET (fillfactor)")


class Migration(migrations.Migration):

    dependencies = [
        ('tracing', '0005_fewer_rank_change_indexes'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='tracedperson',
            name='traced_person_category',
        ),
        migrations.RemoveIndex(
            model_name='tracedperson',
            name='traced_person_path',
        ),
        migrations.AlterField(
            model_name='tracedperson',
            name='area_path',
            field=fangkong.scope.PathField(db_index=True, editable=False, max_length=255),
        ),
        migrations.RunPython(free_space, full_pages),
    ]
