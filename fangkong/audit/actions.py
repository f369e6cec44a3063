"""The details of an audit event made safe to keep: whole ID numbers and phones masked.

The action codes and their labels are registered by each app (`fangkong.audit.registry`)."""

import re

# What would give a person's whole number away in a detail: an ID number (whole or without
# its check digit) or a mobile or landline number. Digits beside them make them something else.
ID_NUMBER = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx]?(?![0-9A-Za-z])")
PHONE = re.compile(r"(?<![0-9])(?:1[0-9]{10}|0[0-9]{9,11})(?![0-9])")


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
