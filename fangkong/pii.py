"""Personal information (PIPL): encrypted storage, lookup digests, masking, ID numbers.

ID numbers and phones are stored encrypted with a keyed digest of the normalised value
beside them for exact lookup and de-duplication.

Encryption is AES-256-GCM (`cryptography`'s AESGCM: authenticated, a random 96-bit nonce
per value). The stored value names the key that encrypted it, so several keys can be
configured at once: the newest, FIELD_ENCRYPTION_KEY, encrypts; it and every key in
FIELD_ENCRYPTION_OLD_KEYS decrypt (rotation: docs/deployment.md, `manage.py
rotate_field_key`). A key is 32 random bytes in URL-safe base64 (the Fernet key format); the
AES key is derived from it with HKDF, so the same configured key also reads the Fernet tokens
(AES-128-CBC + HMAC-SHA256) that were stored before, the legacy format.

  text   "fk1.<key id>.<base64url(nonce ‖ ciphertext ‖ tag)>"   (EncryptedTextField)
  bytes  b"fk1.<key id>." + nonce ‖ ciphertext ‖ tag             (EncryptedBinaryField)

The key id is 8 hex digits of an HMAC of the key (it reveals nothing of the key); the header
"fk1.<key id>." is authenticated as associated data. Legacy Fernet tokens start "gAAAA".
"""

import base64
import binascii
import datetime
import hashlib
import hmac
import os
import re
import unicodedata
from functools import cache, lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.signals import setting_changed
from django.db import connections, models, transaction
from django.db.models.functions import Cast
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum import numdb
from stdnum.cn import ric

# Reading a value that no configured key decrypts, or that was changed, raises InvalidToken.
VERSION = "fk1"
_NONCE = 12  # bytes: 96 bits, random per value (NIST SP 800-38D §8.2.2)
_TAG = 16


class _Key:
    """One configured key: its id, the AES-256-GCM cipher derived from it, its Fernet."""

    def __init__(self, setting, text):
        try:
            raw = base64.urlsafe_b64decode(text.strip() + "=" * (-len(text.strip()) % 4))
        except (binascii.Error, ValueError):
            raw = b""
        if len(raw) != 32:
            raise ImproperlyConfigured(
                f"{setting} must be 32 random bytes in URL-safe base64 (a Fernet key): "
                "see docs/deployment.md for how to generate one."
            )
        self.id = hmac.new(raw, b"fangkong field key id", hashlib.sha256).hexdigest()[:8]
        derived = HKDF(
            algorithm=hashes.SHA256(),
            length=32,
            salt=None,
            info=b"fangkong field encryption: AES-256-GCM",
        ).derive(raw)
        self.aead = AESGCM(derived)
        self.header = f"{VERSION}.{self.id}."
        self.aad = self.header.encode()
        self.fernet = Fernet(base64.urlsafe_b64encode(raw))


class _Keyring:
    def __init__(self, current, old):
        self.current = _Key("FIELD_ENCRYPTION_KEY", current)
        keys = [self.current]
        keys += [_Key("FIELD_ENCRYPTION_OLD_KEYS", text) for text in old]
        self.by_id = {}
        for key in keys:  # two keys with one id (1 in 4·10⁹) are both tried
            self.by_id.setdefault(key.id, []).append(key)
        self.legacy = MultiFernet([key.fernet for key in keys])


def _old_keys():
    old = getattr(settings, "FIELD_ENCRYPTION_OLD_KEYS", ())
    if isinstance(old, str):
        old = old.split(",")
    return tuple(text.strip() for text in old if text and text.strip())


@cache
def _keyring_for(current, old):
    return _Keyring(current, old)


def _keyring():
    return _keyring_for(settings.FIELD_ENCRYPTION_KEY, _old_keys())


@cache
def _fernet(key):
    """A legacy Fernet of one key (reads the tokens stored before AES-GCM)."""
    return Fernet(key.encode())


@checks.register(checks.Tags.security)
def check_field_keys(**kwargs):
    """`manage.py check` (and every start of the server) refuses keys that are not keys."""
    try:
        _keyring()
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="fangkong.E001")]
    return []


def current_key_id():
    """The id of the key new values are encrypted with (as it appears in stored values)."""
    return _keyring().current.id


def _seal(key, data, _urandom=os.urandom):
    nonce = _urandom(_NONCE)
    return nonce + key.aead.encrypt(nonce, data, key.aad)


def _open(body, key_id, aad):
    for key in _keyring().by_id.get(key_id, ()):
        try:
            return key.aead.decrypt(body[:_NONCE], body[_NONCE:], aad)
        except InvalidTag:
            continue
    raise InvalidToken


def _split(stored):
    """(key id, associated data, rest) of a value in the current format (bytes), else None."""
    if stored[:4] != b"fk1." or stored[12:13] != b".":
        return None
    return stored[4:12].decode("ascii", "replace"), stored[:13], stored[13:]


def encrypt_text(text):
    """Text encrypted as `EncryptedTextField` stores it; empty stays empty."""
    if not text:
        return text
    key = _keyring().current
    return key.header + base64.urlsafe_b64encode(_seal(key, text.encode())).decode()


def decrypt_text(stored):
    """The text of a stored value (either format); InvalidToken if no configured key opens it
    or it was changed."""
    if not stored:
        return stored
    token = stored.encode()
    parts = _split(token)
    if parts is None:
        return _keyring().legacy.decrypt(token).decode()
    key_id, aad, rest = parts
    try:
        body = base64.urlsafe_b64decode(rest)
    except (binascii.Error, ValueError):
        raise InvalidToken from None
    if len(body) < _NONCE + _TAG:
        raise InvalidToken
    return _open(body, key_id, aad).decode()


def encrypt_bytes(data):
    """Bytes encrypted with the newest field key; empty stays empty."""
    if not data:
        return b""
    key = _keyring().current
    return key.aad + _seal(key, bytes(data))


def decrypt_bytes(token):
    """The bytes `encrypt_bytes` encrypted (either format); empty stays empty."""
    if not token:
        return b""
    token = bytes(token)
    parts = _split(token)
    if parts is None:
        return _keyring().legacy.decrypt(token)
    key_id, aad, body = parts
    if len(body) < _NONCE + _TAG:
        raise InvalidToken
    return _open(body, key_id, aad)


def is_current(stored):
    """Whether a stored value (text or bytes) is encrypted with the newest key in the current
    format (or empty): what `rotate_field_key` leaves alone."""
    if not stored:
        return True
    head = stored[:13] if isinstance(stored, str) else bytes(stored[:13]).decode("latin-1")
    return head == _keyring().current.header


def bulk_encryptor():
    """A text → text function encrypting as `EncryptedTextField` stores it, for one thread
    writing many rows (imports): the key is looked up once. Each value gets its own nonce
    from the operating system (os.urandom, safe across the importer's fork)."""
    key = _keyring().current
    header, encrypt, aad, urandom = key.header, key.aead.encrypt, key.aad, os.urandom
    b64 = base64.urlsafe_b64encode

    def encrypt_one(text):
        if not text:
            return text
        nonce = urandom(_NONCE)
        return header + b64(nonce + encrypt(nonce, text.encode(), aad)).decode()

    return encrypt_one


class EncryptedTextField(models.TextField):
    """Text stored encrypted; the empty string stays empty so "no value" needs no key."""

    def from_db_value(self, value, expression, connection):
        return decrypt_text(value) if value else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return encrypt_text(value) if value else value


class EncryptedBinaryField(models.BinaryField):
    """Bytes stored encrypted (for files that hold personal information); empty bytes stay
    empty, so "no file" needs no key."""

    def from_db_value(self, value, expression, connection):
        return decrypt_bytes(value) if value else b""

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return encrypt_bytes(value) if value else value


def encrypted_fields(model):
    """The concrete encrypted fields of a model."""
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, (EncryptedTextField, EncryptedBinaryField))
    ]


def _stored_columns(fields):
    """The columns as stored (the text or bytes of the tokens), not decrypted."""
    return [Cast(field.attname, _stored_type(field)) for field in fields]


def _stored_type(field):
    return models.BinaryField() if isinstance(field, EncryptedBinaryField) else models.TextField()


def stale_count(queryset):
    """How many of `queryset`'s rows hold a value not under the newest key."""
    fields = encrypted_fields(queryset.model)
    if not fields:
        return 0
    rows = queryset.order_by().values_list(*_stored_columns(fields)).iterator(chunk_size=2000)
    return sum(1 for values in rows if not all(is_current(value) for value in values))


def _rewrap(stored, binary, legacy):
    """`stored` encrypted again with the newest key, or None when it already is. legacy:
    as a Fernet token of the newest key (what the code before AES-GCM reads)."""
    stored = bytes(stored) if binary else stored.encode()  # stored text is ASCII
    if not legacy:
        if is_current(stored):
            return None
        if binary:
            return encrypt_bytes(decrypt_bytes(stored))
        return encrypt_text(decrypt_text(stored.decode()))
    fernet = _keyring().current.fernet
    if stored[:5] == b"gAAAA":
        try:
            fernet.decrypt(stored)
            return None
        except InvalidToken:
            pass  # a Fernet token of an old key
    plain = decrypt_bytes(stored) if binary else decrypt_text(stored.decode()).encode()
    new = fernet.encrypt(plain)
    return new if binary else new.decode()


def _write_stored(queryset, changes):
    """Write stored values as they are, one UPDATE per row with executemany: through the
    ORM the field would encrypt them again, and a CASE over a batch is quadratic."""
    connection = connections[queryset.db]
    quote = connection.ops.quote_name
    table, pk = queryset.model._meta.db_table, queryset.model._meta.pk.column
    with connection.cursor() as cursor:
        for columns, rows in changes.items():
            assignments = ", ".join(f"{quote(column)} = %s" for column in columns)
            cursor.executemany(
                f"UPDATE {quote(table)} SET {assignments} WHERE {quote(pk)} = %s", rows
            )


def reencrypt(queryset, *, batch_size=1000, legacy=False, progress=None):
    """Encrypt every encrypted column of `queryset`'s rows again with the newest key, a batch
    of rows per transaction in primary-key order; values already so encrypted are left alone,
    so a run that stopped can simply be run again. `legacy=True` writes Fernet tokens of the
    newest key instead (before going back to code older than AES-GCM; only the newest key
    is used, so a legacy value under an old key is rewritten too). Each batch's rows are locked
    (SELECT … FOR UPDATE) so that a concurrent change is not overwritten. `progress(read,
    rewritten)` is called after each batch. Returns (rows read, rows rewritten).

    Works on live models (the caller opens the scope) and on a migration's historical ones."""
    model = queryset.model
    fields = encrypted_fields(model)
    if not fields:
        return 0, 0
    raw = _stored_columns(fields)
    queryset = queryset.order_by("pk")
    read = rewritten = 0
    last = None
    while True:
        with transaction.atomic(using=queryset.db):
            batch = queryset if last is None else queryset.filter(pk__gt=last)
            rows = list(batch.select_for_update().values_list("pk", *raw)[:batch_size])
            if not rows:
                break
            changes = {}  # (columns rewritten) → [(their new values…, pk)]
            for pk, *values in rows:
                columns, new_values = [], []
                for field, value in zip(fields, values, strict=True):
                    binary = isinstance(field, EncryptedBinaryField)
                    new = _rewrap(value, binary, legacy) if value else None
                    if new is not None:
                        columns.append(field.column)
                        new_values.append(new)
                if columns:
                    changes.setdefault(tuple(columns), []).append((*new_values, pk))
            _write_stored(queryset, changes)
            read += len(rows)
            rewritten += sum(len(group) for group in changes.values())
            last = rows[-1][0]
        if progress:
            progress(read, rewritten)
    return read, rewritten


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
