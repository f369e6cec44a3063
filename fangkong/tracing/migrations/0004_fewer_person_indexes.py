# Fewer indexes on traced persons (a re-ranking's UPDATE writes every one on PostgreSQL).
# The unique constraint on the resident is dropped and made again around the field's change:
# on PostgreSQL, dropping the foreign key's index dropped the constraint's partial index too.

import django.db.models.deletion
import fangkong.scope
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('areas', '0004_unique_constraint_messages'),
        ('people', '0010_unplaced_residents_import_columns'),
        ('tracing', '0003_case_import'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='tracedperson',
            name='one_traced_person_per_resident',
        ),
        migrations.AlterField(
            model_name='tracedperson',
            name='area',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='areas.area'),
        ),
        migrations.AlterField(
            model_name='tracedperson',
            name='area_path',
            field=fangkong.scope.PathField(editable=False, max_length=255),
        ),
        migrations.AlterField(
            model_name='tracedperson',
            name='created_by',
            field=models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='tracedperson',
            name='resident',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='people.resident', verbose_name='resident'),
        ),
        migrations.AddConstraint(
            model_name='tracedperson',
            constraint=models.UniqueConstraint(condition=models.Q(('resident__isnull', False)), fields=('resident',), name='one_traced_person_per_resident'),
        ),
        migrations.AddIndex(
            model_name='tracedperson',
            index=models.Index(fields=['area_path'], name='traced_person_path', opclasses=['varchar_pattern_ops']),
        ),
    ]
