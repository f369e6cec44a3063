"""Personal information (PIPL): encrypted storage, lookup digests, masking, ID numbers.

ID numbers and phones are stored encrypted (Fernet: AES-128-CBC + HMAC-SHA256) with a
keyed digest of the normalised value beside them for exact lookup and de-duplication.
"""

import base64
import datetime
import hashlib
import hmac
import os
import re
import time
import unicodedata
from functools import cache, lru_cache

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.signals import setting_changed
from django.db import models
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum import numdb
from stdnum.cn import ric


@cache
def _fernet(key):
    return Fernet(key.encode())


def bulk_encryptor():
    """A function encrypting text as `EncryptedTextField` stores it (the same Fernet tokens),
    twice as fast, for one thread writing many rows (imports). Fernet's AES-128-CBC is
    computed block by block on one AES context instead of a new CBC context per value; the
    first token is checked against Fernet's own before any is used."""
    fernet = _fernet(settings.FIELD_ENCRYPTION_KEY)
    key = base64.urlsafe_b64decode(settings.FIELD_ENCRYPTION_KEY)
    signing = hmac.new(key[:16], digestmod=hashlib.sha256)
    aes = Cipher(algorithms.AES(key[16:]), modes.ECB()).encryptor()

    def encrypt_at(data, now, iv):
        pad = 16 - len(data) % 16
        data += bytes((pad,)) * pad
        chained, blocks = int.from_bytes(iv, "big"), []
        for start in range(0, len(data), 16):  # CBC: each block XOR the previous cipher block
            block = int.from_bytes(data[start : start + 16], "big") ^ chained
            cipher = aes.update(block.to_bytes(16, "big"))
            blocks.append(cipher)
            chained = int.from_bytes(cipher, "big")
        token = b"\x80" + now.to_bytes(8, "big") + iv + b"".join(blocks)
        mac = signing.copy()
        mac.update(token)
        return base64.urlsafe_b64encode(token + mac.digest())

    sample, now, iv = b"35050219900101123X", int(time.time()), os.urandom(16)
    if encrypt_at(sample, now, iv) != fernet._encrypt_from_parts(sample, now, iv):
        return lambda text: fernet.encrypt(text.encode()).decode() if text else text
    return lambda text: (
        encrypt_at(text.encode(), int(time.time()), os.urandom(16)).decode() if text else text
    )


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


def encrypt_bytes(data):
    """Bytes encrypted with the field key (a Fernet token); empty stays empty."""
    return _fernet(settings.FIELD_ENCRYPTION_KEY).encrypt(bytes(data)) if data else b""


def decrypt_bytes(token):
    """The bytes `encrypt_bytes` encrypted; empty stays empty."""
    return _fernet(settings.FIELD_ENCRYPTION_KEY).decrypt(bytes(token)) if token else b""


class EncryptedBinaryField(models.BinaryField):
    """Bytes stored encrypted (a Fernet token, for files that hold personal information);
    empty bytes stay empty, so "no file" needs no key."""

    def from_db_value(self, value, expression, connection):
        return decrypt_bytes(value) if value else b""

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return encrypt_bytes(value) if value else value


def normalise(value):
    """Full-width to half-width, no spaces or control characters, upper case: how a number
    or a code is compared."""
    text = value if value.__class__ is str else str(value or "")
    if text.isascii() and text.isalnum():  # nothing to fold or drop (most numbers)
        return text.upper()
    text = unicodedata.normalize("NFKC", text)
    return _SPACE_OR_CONTROL.sub("", text).upper()


# White space (exactly what str.isspace() calls space) and control characters (category Cc).
_SPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f\x7f-\x9f]+")


@cache
def _keyed_hmac():
    return hmac.new(settings.FIELD_HMAC_KEY.encode(), digestmod=hashlib.sha256)


@receiver(setting_changed)
def _forget_key(setting, **kwargs):
    if setting == "FIELD_HMAC_KEY":
        _keyed_hmac.cache_clear()


def lookup_digest(value):
    """Keyed digest of a normalised value; empty for no value."""
    value = normalise(value)
    if not value:
        return ""
    # A copy of the keyed state skips hashing the key again: imports take 10⁵ digests.
    digest = _keyed_hmac().copy()
    digest.update(value.encode())
    return digest.hexdigest()


# Only people born in or after this year may have a birth date in the future (a year that
# passed since the process started makes the test looser, never wrong).
_RECENT_YEAR = datetime.date.today().year - 1
SCIENTIFIC = re.compile(r"[0-9](\.[0-9]+)?E\+?[0-9]+")
ID_NUMBER = re.compile(r"[0-9]{17}[0-9X]")
PHONE_SIGNS = re.compile(r"[-()]")
PHONE = re.compile(r"1[0-9]{10}|0[0-9]{9,11}")


def clean_id_number(value):
    """Return the normalised ID number or raise ValidationError with a message people understand."""
    number = normalise(value)
    if not number:
        return ""
    if SCIENTIFIC.fullmatch(number):
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
    if not ID_NUMBER.fullmatch(number):
        raise ValidationError(_("An ID number has 17 digits followed by a digit or X."))
    birth_date = _birth_date(number[6:14])
    if birth_date is None:
        raise ValidationError(_("The birth date in the ID number is not a valid date."))
    if birth_date.year >= _RECENT_YEAR and birth_date > timezone.localdate():
        raise ValidationError(_("The birth date in the ID number is in the future."))
    if number[17] != ric.calc_check_digit(number):
        raise ValidationError(_("The check digit of the ID number is wrong."))
    # The area code must be one that exists or existed; people keep the number they were
    # given when their county had another code, so the birth year is not held against it.
    if not _is_area_code(number[:6]):
        raise ValidationError(_("The first six digits of the ID number are not an area code."))
    return number


# Imports check 10⁵ numbers at a time: a few thousand area codes and birth dates cover them.
@cache
def _is_area_code(prefix):
    return any(props for _part, props in numdb.get("cn/loc").info(prefix))


@lru_cache(maxsize=65536)
def _birth_date(digits):
    """The date of "YYYYMMDD" (as `ric.get_birth_date` reads it), or None if no such day."""
    try:
        return datetime.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None


def facts_from_id_number(number):
    """Sex and birth date as the ID number states them (17th digit odd = male)."""
    return {
        "sex": "male" if int(number[16]) % 2 else "female",
        "birth_date": _birth_date(number[6:14]),
    }


def clean_phone(value):
    phone = PHONE_SIGNS.sub("", normalise(value))
    if phone.startswith("+86"):
        phone = phone[3:]
    if phone and not PHONE.fullmatch(phone):
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
