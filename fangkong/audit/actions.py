"""The audit actions written by the services, with the labels the audit page shows, and the
details of an event in words. An action not listed here (a new app's) shows its code."""

import re

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "resident.add": _("Resident registered"),
    "resident.change": _("Resident changed"),
    "resident.move": _("Resident moved to another household"),
    "resident.status": _("Resident status changed"),
    "resident.reveal": _("Whole numbers viewed"),
    "resident.import": _("Residents imported"),
    "key_group.add": _("Key group tagged"),
    "key_group.end": _("Key group ended"),
    "household.change": _("Household changed"),
    "household.move": _("Household moved"),
    "household.assign": _("Households assigned"),
    "export": _("List exported"),
    "add_worker": _("Worker added"),
    "change_worker": _("Worker changed"),
    "grant_role": _("Role granted"),
    "revoke_role": _("Role revoked"),
    "report.submit": _("Daily report sent"),
    "report.amend": _("Daily report amended"),
}

TARGETS = {
    "resident": _("resident"),
    "household": _("household"),
    "worker": _("worker"),
    "area": _("area"),
    "keygroup": _("key group"),
    "importjob": _("resident import"),
    "dailyreport": _("daily report"),
}

# What would give a person's whole number away in a detail: an ID number (whole or without
# its check digit) or a mobile or landline number. Digits beside them make them something else.
ID_NUMBER = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx]?(?![0-9A-Za-z])")
PHONE = re.compile(r"(?<![0-9])(?:1[0-9]{10}|0[0-9]{9,11})(?![0-9])")


def action_label(action):
    return ACTIONS.get(action, action)


def scrub(value):
    """The detail of an event with every ID number or phone in its text masked: an export's
    filter may be a search for a whole number, and the audit trail must not keep it."""
    if isinstance(value, str):
        value = ID_NUMBER.sub(lambda m: f"{m[0][:6]}********{m[0][-4:]}", value)
        return PHONE.sub(lambda m: f"{m[0][:3]}****{m[0][-4:]}", value)
    if isinstance(value, dict):
        return {key: scrub(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [scrub(item) for item in value]
    return value
