# Values stored as Fernet tokens (AES-128-CBC + HMAC) are encrypted again with AES-256-GCM
# under the newest key (fangkong.pii). Going back writes Fernet tokens of the newest key, which
# the code before this migration reads. Later key changes: `manage.py rotate_field_key`.
# The verification list rows are here too: their app has no migration of its own for this.

from django.db import migrations

from fangkong.pii import reencrypt

MODELS = [
    ("people", "Resident"),
    ("people", "ImportJob"),
    ("verification", "VerificationEntry"),
]


def rewrap(legacy):
    def run(apps, schema_editor):
        for app_label, name in MODELS:
            model = apps.get_model(app_label, name)
            rows = model._default_manager.using(schema_editor.connection.alias).all()
            reencrypt(rows, batch_size=2000, legacy=legacy)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0007_scoped_default_manager"),
        ("verification", "0002_scoped_default_manager"),
    ]

    operations = [migrations.RunPython(rewrap(False), rewrap(True), elidable=True)]
