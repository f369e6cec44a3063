# The uploaded file of a resident import is stored encrypted and dropped once the job is done,
# failed or cancelled; the rows its problems name are kept (encrypted) for the rejected rows'
# workbook. Existing jobs are brought to that state while `data` is still a plain BinaryField.

import fangkong.pii
from django.db import migrations

FINISHED = ("done", "failed", "cancelled")


def encrypt_files(apps, schema_editor):
    from fangkong.people.import_workbooks import rejected_cells

    jobs = apps.get_model("people", "ImportJob")._default_manager
    for pk in jobs.values_list("pk", flat=True):
        job = jobs.only("file_name", "data", "state", "problems").get(pk=pk)
        data = bytes(job.data or b"")
        jobs.filter(pk=pk).update(
            rejected_rows=rejected_cells(job.file_name, data, job.problems) if data else b"",
            # Written through the plain field: encrypted by hand while the job still needs it.
            data=b"" if job.state in FINISHED else fangkong.pii.encrypt_bytes(data),
        )


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0002_registry_survey_imports'),
    ]

    operations = [
        migrations.AddField(
            model_name='importjob',
            name='rejected_rows',
            field=fangkong.pii.EncryptedBinaryField(blank=True, default=b''),
        ),
        migrations.RunPython(encrypt_files, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='importjob',
            name='data',
            field=fangkong.pii.EncryptedBinaryField(blank=True),
        ),
    ]
