"""Checks other apps put to an entry at a checkpoint that is their door (docs/checkpoints.md).

A facility's door may be a checkpoint: while the facility is full or suspended, an entry
there is refused. Checkpoints do not know facilities (imports point from feature apps to
checkpoints, never back): an app registers a check in its `AppConfig.ready()` and marks the
checkpoints it guards (`Checkpoint.entry_limited`); `record_passage` asks the checks only at
those, so every other gate records as fast as before.

A check is `check(checkpoint, at)`; it raises a `ValidationError` saying why the entry is
refused. Entries recorded later than they happened (the offline queue, a device that was
out of reach) are kept as they happened: a refusal is for the person at the gate now."""

import datetime

from django.utils import timezone

# An entry recorded within this much of now is someone at the gate now.
LIVE = datetime.timedelta(minutes=10)

CHECKS = []


def register(check):
    if check not in CHECKS:
        CHECKS.append(check)


def check_entry(checkpoint, at):
    """Put an entry at `checkpoint` at `at` to the registered checks (they raise)."""
    if not checkpoint.entry_limited or at < timezone.now() - LIVE:
        return
    for check in CHECKS:
        check(checkpoint, at)
