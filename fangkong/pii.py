"""Personal information (PIPL): encrypted storage, lookup digests, masking, ID numbers.

ID numbers and phones are stored encrypted (Fernet: AES-128-CBC + HMAC-SHA256) with a
keyed digest of the normalised value beside them for exact lookup and de-duplication.
"""

import hashlib
import hmac
import re
import unicodedata
from functools import cache

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_errors
from stdnum import numdb
from stdnum.cn import ric


@cache
def _fernet(key):
    return Fernet(key.encode())


class EncryptedTextField(models.TextField):
    """Text stored encrypted; the empty string stays empty so "no value" needs no key."""

    def from_db_value(self, value, expression, connection):
        if not value:
            return value
        return _fernet(settings.FIELD_ENCRYPTION_KEY).decrypt(value.encode()).decode()

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value:
            return value
        return _fernet(settings.FIELD_ENCRYPTION_KEY).encrypt(value.encode()).decode()


def normalise(value):
    """Full-width to half-width, no spaces or control characters, upper case: how a number
    or a code is compared."""
    text = unicodedata.normalize("NFKC", str(value or ""))
    return "".join(c for c in text if not c.isspace() and unicodedata.category(c) != "Cc").upper()


def lookup_digest(value):
    """Keyed digest of a normalised value; empty for no value."""
    value = normalise(value)
    if not value:
        return ""
    key = settings.FIELD_HMAC_KEY.encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def clean_id_number(value):
    """Return the normalised ID number or raise ValidationError with a message people understand."""
    number = normalise(value)
    if not number:
        return ""
    if re.fullmatch(r"[0-9](\.[0-9]+)?E\+?[0-9]+", number):
        raise ValidationError(
            _(
                "The ID number was turned into scientific notation by Excel; its last digits are lost."
            )
        )
    if len(number) != 18:
        raise ValidationError(
            _("An ID number must have 18 characters (it has %(n)d).") % {"n": len(number)}
        )
    # ASCII digits only: str.isdigit() would let other scripts' digits slip past the digest.
    if not re.fullmatch(r"[0-9]{17}[0-9X]", number):
        raise ValidationError(_("An ID number has 17 digits followed by a digit or X."))
    try:
        birth_date = ric.get_birth_date(number)
    except stdnum_errors.ValidationError:
        raise ValidationError(_("The birth date in the ID number is not a valid date.")) from None
    if birth_date > timezone.localdate():
        raise ValidationError(_("The birth date in the ID number is in the future."))
    if number[17] != ric.calc_check_digit(number):
        raise ValidationError(_("The check digit of the ID number is wrong."))
    # The area code must be one that exists or existed; people keep the number they were
    # given when their county had another code, so the birth year is not held against it.
    if not any(props for _part, props in numdb.get("cn/loc").info(number[:6])):
        raise ValidationError(_("The first six digits of the ID number are not an area code."))
    return number


def facts_from_id_number(number):
    """Sex and birth date as the ID number states them (17th digit odd = male)."""
    return {
        "sex": "male" if int(number[16]) % 2 else "female",
        "birth_date": ric.get_birth_date(number),
    }


def clean_phone(value):
    phone = re.sub(r"[-()]", "", normalise(value))
    if phone.startswith("+86"):
        phone = phone[3:]
    if phone and not re.fullmatch(r"1[0-9]{10}|0[0-9]{9,11}", phone):
        raise ValidationError(
            _("Enter an 11-digit mobile number or a landline number with its area code.")
        )
    return phone


def mask_id_number(number):
    return f"{number[:6]}********{number[-4:]}" if number else ""


def mask_phone(phone):
    """138****5678 for a mobile; a landline keeps its first three and last two digits."""
    if not phone:
        return ""
    if phone.startswith("1") and len(phone) == 11:
        return f"{phone[:3]}****{phone[-4:]}"
    return f"{phone[:3]}{'*' * max(len(phone) - 5, 4)}{phone[-2:]}"
