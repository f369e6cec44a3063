from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

from fangkong.pii import current_key_id, encrypted_fields, reencrypt, stale_count
from fangkong.scope import system_scope


def encrypted_models(labels=()):
    """The models with encrypted columns (all, or those named "app.Model")."""
    found = [
        model
        for model in apps.get_models()
        if not model._meta.proxy and model._meta.managed and encrypted_fields(model)
    ]
    if labels:
        wanted = {label.lower() for label in labels}
        unknown = wanted - {model._meta.label_lower for model in found}
        if unknown:
            raise CommandError(f"No encrypted columns in: {', '.join(sorted(unknown))}")
        found = [model for model in found if model._meta.label_lower in wanted]
    return found


class Command(BaseCommand):
    help = (
        "Encrypt every encrypted column again with the newest key (FIELD_ENCRYPTION_KEY), "
        "in batches, one transaction each. Values already under that key are left alone: "
        "an interrupted run is resumed by running it again. Afterwards the old keys may be "
        "removed from FIELD_ENCRYPTION_OLD_KEYS (docs/deployment.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("models", nargs="*", metavar="app.Model", help="only these models")
        parser.add_argument("--batch-size", type=int, default=1000)
        parser.add_argument(
            "--check",
            action="store_true",
            help="only count the values not yet under the newest key (exit 1 if any)",
        )
        parser.add_argument(
            "--to-fernet",
            action="store_true",
            help="write Fernet tokens of the newest key instead: before going back to a "
            "release older than AES-GCM",
        )

    def handle(self, *labels, batch_size, check, to_fernet, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        self.stdout.write(f"newest key: {current_key_id()}")
        left = 0
        for model in encrypted_models(labels):
            label = model._meta.label
            # A management command acts for nobody: it re-encrypts the rows of every place.
            # (The queryset keeps the scope it was built in; the batches run from it below.)
            with system_scope():
                rows = model._default_manager.all()
            total = rows.count()
            if check:
                stale = stale_count(rows)
                left += stale
                self.stdout.write(f"{label}: {stale} of {total} rows not under the newest key")
                continue

            def progress(read, rewritten, label=label, total=total):
                self.stdout.write(f"{label}: {read}/{total} rows read, {rewritten} rewritten")

            read, rewritten = reencrypt(
                rows, batch_size=batch_size, legacy=to_fernet, progress=progress
            )
            self.stdout.write(f"{label}: done, {read} rows read, {rewritten} rewritten")
        if check and left:
            raise CommandError(f"{left} rows still hold values of an older key or format")
