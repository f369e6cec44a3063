"""Field encryption (fangkong.pii): AES-256-GCM with a key id, old Fernet tokens still read,
and `rotate_field_key` moving every encrypted column to the newest key."""

import base64
import importlib
import io
import re

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection, models
from django.db.models.functions import Cast

from fangkong import pii
from fangkong.areas.models import Worker
from fangkong.people.models import ImportJob, Resident
from fangkong.scope import system_scope
from fangkong.verification.models import VerificationEntry
from tests.people.helpers import id_number, years_before_today
from tests.world import ID_NUMBERS, every

VALUES = ["1", "13800138000", "35050219900101123X", "x" * 16, "张三" * 9, "y" * 47]


def new_key():
    return Fernet.generate_key().decode()


def stored(model, field):
    """{pk: the column as the database holds it} (not decrypted)."""
    kind = models.BinaryField() if field in ("data", "rejected_rows") else models.TextField()
    rows = every(model).values_list("pk", Cast(field, kind))
    return {pk: bytes(value) if isinstance(value, memoryview) else value for pk, value in rows}


def store_raw(model, pk, **values):
    """Write stored values as they are (the field would encrypt them again)."""
    raw = {
        name: models.Value(
            value, models.BinaryField() if isinstance(value, bytes) else models.TextField()
        )
        for name, value in values.items()
    }
    every(model).filter(pk=pk).update(**raw)


def test_text_and_bytes_go_round_trip():
    for text in VALUES:
        token = pii.encrypt_text(text)
        assert token.startswith(f"fk1.{pii.current_key_id()}.")
        assert pii.decrypt_text(token) == text
        data = text.encode() * 50
        assert pii.decrypt_bytes(pii.encrypt_bytes(data)) == data
    assert pii.encrypt_text("") == "" and pii.decrypt_text("") == ""
    assert pii.encrypt_bytes(b"") == b"" and pii.decrypt_bytes(b"") == b""


def test_the_bulk_encryptor_writes_what_the_field_reads():
    encrypt = pii.bulk_encryptor()
    for text in VALUES:
        token = encrypt(text)
        assert token.startswith("fk1.") and pii.decrypt_text(token) == text
    assert encrypt("") == ""


def test_two_encryptions_of_one_value_differ():
    encrypt = pii.bulk_encryptor()
    for text in VALUES:
        tokens = {pii.encrypt_text(text), pii.encrypt_text(text), encrypt(text), encrypt(text)}
        assert len(tokens) == 4  # a random nonce each time
        assert pii.encrypt_bytes(text.encode()) != pii.encrypt_bytes(text.encode())


def test_a_tampered_token_is_rejected(settings):
    token = pii.encrypt_text("35050219900101123X")
    header, body = token[:13], base64.urlsafe_b64decode(token[13:])
    for i in (0, 12, len(body) // 2, len(body) - 1):  # the nonce, the ciphertext, the tag
        changed = body[:i] + bytes([body[i] ^ 1]) + body[i + 1 :]
        with pytest.raises(InvalidToken):
            pii.decrypt_text(header + base64.urlsafe_b64encode(changed).decode())
    with pytest.raises(InvalidToken):  # cut short
        pii.decrypt_text(header + base64.urlsafe_b64encode(body[:20]).decode())
    # Another key's id in the header: the header is authenticated.
    settings.FIELD_ENCRYPTION_OLD_KEYS = [other := new_key()]
    other_id = pii._Key("test", other).id
    with pytest.raises(InvalidToken):
        pii.decrypt_text(f"fk1.{other_id}." + token[13:])
    data = pii.encrypt_bytes(b"file")
    with pytest.raises(InvalidToken):
        pii.decrypt_bytes(data[:-1] + bytes([data[-1] ^ 1]))
    with pytest.raises(InvalidToken):
        pii.decrypt_text("not a token")


def test_an_old_fernet_token_still_decrypts(settings):
    old = settings.FIELD_ENCRYPTION_KEY
    text_token = Fernet(old.encode()).encrypt(b"35050219900101123X").decode()
    file_token = Fernet(old.encode()).encrypt(b"a file")
    assert pii.decrypt_text(text_token) == "35050219900101123X"
    assert pii.decrypt_bytes(file_token) == b"a file"
    # Under an old key once the key was changed; unreadable once the old key is removed.
    settings.FIELD_ENCRYPTION_KEY, settings.FIELD_ENCRYPTION_OLD_KEYS = new_key(), old
    aes_token = pii.encrypt_text("13800138000")
    assert pii.decrypt_text(text_token) == "35050219900101123X"
    assert pii.decrypt_bytes(file_token) == b"a file"
    settings.FIELD_ENCRYPTION_OLD_KEYS = []
    with pytest.raises(InvalidToken):
        pii.decrypt_text(text_token)
    assert pii.decrypt_text(aes_token) == "13800138000"


def test_a_key_that_is_not_32_bytes_is_refused(settings):
    settings.FIELD_ENCRYPTION_KEY = "too-short"
    with pytest.raises(ImproperlyConfigured, match="FIELD_ENCRYPTION_KEY"):
        pii.encrypt_text("x")
    assert [error.id for error in pii.check_field_keys()] == ["fangkong.E001"]
    settings.FIELD_ENCRYPTION_KEY = new_key()
    assert pii.check_field_keys() == []
    settings.FIELD_ENCRYPTION_OLD_KEYS = "a,b"
    with pytest.raises(ImproperlyConfigured, match="FIELD_ENCRYPTION_OLD_KEYS"):
        pii.encrypt_text("x")


def test_the_stored_text_contains_no_whole_number():
    for serial in range(100, 400):
        number = id_number(years_before_today(20 + serial % 60), str(serial))
        phone = f"139{serial:08d}"
        for token in (pii.encrypt_text(number), pii.encrypt_text(phone)):
            assert number not in token and number[:-1] not in token and phone not in token
            assert not re.search(r"[0-9]{11}", token)


def test_a_saved_resident_is_stored_under_the_newest_key(world):
    resident = world.residents["350502001001001"]
    raw = stored(Resident, "id_number")[resident.pk]
    assert raw.startswith(f"fk1.{pii.current_key_id()}.")
    assert ID_NUMBERS["350502001001001"] not in raw
    assert every(Resident).get(pk=resident.pk).id_number == ID_NUMBERS["350502001001001"]


def put_in_old_form(world, old_key):
    """Store some values as the releases before stored them (Fernet tokens of the old key)."""
    fernet = Fernet(old_key.encode())
    resident = world.residents["350502001001001"]
    store_raw(
        Resident,
        resident.pk,
        id_number=fernet.encrypt(ID_NUMBERS["350502001001001"].encode()).decode(),
        phone=fernet.encrypt(b"13800138000").decode(),
    )
    job = world.import_jobs["350502001001001"]
    store_raw(ImportJob, job.pk, data=fernet.encrypt(b"a file"))
    worker = world.workers["350502001001001"]
    store_raw(Worker, worker.pk, phone=fernet.encrypt(b"13900000001").decode())
    return resident, job, worker


def plain_values():
    return {
        model._meta.label: {
            pk: tuple(values)
            for pk, *values in every(model).values_list(
                "pk", *(field.attname for field in pii.encrypted_fields(model))
            )
        }
        for model in (Resident, ImportJob, Worker, VerificationEntry)
    }


def test_rotate_field_key_moves_every_row_to_the_newest_key(world, settings):
    old = settings.FIELD_ENCRYPTION_KEY
    resident, job, worker = put_in_old_form(world, old)
    before = plain_values()
    assert before["people.Resident"][resident.pk][0] == ID_NUMBERS["350502001001001"]

    settings.FIELD_ENCRYPTION_KEY, settings.FIELD_ENCRYPTION_OLD_KEYS = new_key(), [old]
    assert plain_values() == before  # the old key still reads both formats
    with pytest.raises(CommandError, match="rows still hold"):
        call_command("rotate_field_key", "--check", stdout=io.StringIO())

    out = io.StringIO()
    call_command("rotate_field_key", "--batch-size", "2", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == f"newest key: {pii.current_key_id()}"
    assert any(re.fullmatch(r"people\.Resident: 2/\d+ rows read, 2 rewritten", x) for x in lines)
    assert any(x.startswith("areas.Worker: done") for x in lines)

    settings.FIELD_ENCRYPTION_OLD_KEYS = []  # the old key removed: everything still reads
    assert plain_values() == before
    prefix = f"fk1.{pii.current_key_id()}."
    assert stored(Resident, "id_number")[resident.pk].startswith(prefix)
    assert stored(Worker, "phone")[worker.pk].startswith(prefix)
    assert stored(ImportJob, "data")[job.pk].startswith(prefix.encode())
    assert all(pii.is_current(v) for v in stored(VerificationEntry, "id_number").values())

    # Idempotent: nothing left to do.
    out = io.StringIO()
    call_command("rotate_field_key", stdout=out)
    assert "rewritten" in out.getvalue() and ", 0 rewritten" in out.getvalue()
    assert not re.search(r", [1-9][0-9]* rewritten", out.getvalue())
    call_command("rotate_field_key", "--check", stdout=io.StringIO())


def test_an_interrupted_rotation_resumes(world, settings):
    old = settings.FIELD_ENCRYPTION_KEY
    settings.FIELD_ENCRYPTION_KEY, settings.FIELD_ENCRYPTION_OLD_KEYS = new_key(), [old]
    before = plain_values()

    def stop(read, rewritten):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        pii.reencrypt(every(Resident), batch_size=1, progress=stop)
    left = pii.stale_count(every(Resident))
    assert left == every(Resident).count() - 1  # the first batch was kept
    _read, rewritten = pii.reencrypt(every(Resident), batch_size=2)
    assert rewritten == left and pii.stale_count(every(Resident)) == 0
    assert plain_values()["people.Resident"] == before["people.Resident"]


def test_the_data_migrations_rewrap_both_ways(world, settings):
    resident, job, _worker = put_in_old_form(world, settings.FIELD_ENCRYPTION_KEY)
    before = plain_values()
    people = importlib.import_module("fangkong.people.migrations.0008_field_encryption_aes_gcm")
    areas = importlib.import_module("fangkong.areas.migrations.0003_field_encryption_aes_gcm")
    editor = type("Editor", (), {"connection": connection})()

    def migrate(legacy):
        # Live models stand in for the historical ones (whose managers are plain).
        with system_scope():
            people.rewrap(legacy)(apps, editor)
            areas.rewrap(legacy)(apps, editor)

    migrate(False)
    assert plain_values() == before
    for model, field in [(Resident, "id_number"), (Resident, "phone"), (Worker, "phone")]:
        assert all(v == "" or v.startswith("fk1.") for v in stored(model, field).values())
    assert stored(ImportJob, "data")[job.pk].startswith(b"fk1.")

    migrate(True)  # back: what the release before AES-GCM reads
    fernet = Fernet(settings.FIELD_ENCRYPTION_KEY.encode())
    assert (
        fernet.decrypt(stored(Resident, "id_number")[resident.pk].encode()).decode()
        == (ID_NUMBERS["350502001001001"])
    )
    assert fernet.decrypt(stored(ImportJob, "data")[job.pk]) == b"a file"
    assert all(v == "" or v.startswith("gAAAA") for v in stored(Worker, "phone").values())
    assert plain_values() == before
