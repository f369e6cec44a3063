"""The database never holds a whole ID number or phone in plain text: read it raw to prove it.

People are registered, changed, searched for, revealed and exported through the services,
the API and the pages; then every value of every table is read through the database cursor
(both databases), and on SQLite also the dump of the database and the bytes of its file.
Neither a whole ID number, nor one without its check digit, nor a whole phone may appear.
The same scan finds a number written in plain text on purpose, so it is not blind.
"""

import json
import sqlite3
from pathlib import Path

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from fangkong.areas import services as area_services
from fangkong.areas.models import Worker
from fangkong.people import services
from fangkong.people.models import KeyGroup, Resident
from tests.people.helpers import id_number, years_before_today
from tests.world import ID_NUMBERS, build_world, every

pytestmark = pytest.mark.django_db(transaction=True)  # committed, as a database file holds it

GRID = "350502001001001"


def as_bytes(value):
    if value is None:
        return b""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    if isinstance(value, (dict, list)):  # JSON columns, as PostgreSQL's driver returns them
        return json.dumps(value, ensure_ascii=False, default=str).encode()
    return str(value).encode()


def every_value():
    """(table, column, bytes) for every value of every table, read through the cursor."""
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            columns = [column[0] for column in cursor.description]
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    yield table, column, as_bytes(value)
                    if table == "django_session" and column == "session_data":
                        # Sessions are signed and encoded: read what they hold, too.
                        decoded = SessionStore().decode(value)
                        yield table, "(decoded)", as_bytes(json.dumps(decoded, default=str))


def raw_sqlite(tmp_path):
    """The bytes of the SQLite database (a copy page by page when it lives in memory) and its
    SQL dump; nothing on PostgreSQL, whose files are the server's."""
    if connection.vendor != "sqlite":
        return {}
    connection.ensure_connection()
    source = connection.connection
    if connection.is_in_memory_db():
        copy = tmp_path / "copy.sqlite3"
        target = sqlite3.connect(copy)
        source.backup(target)
        target.close()
        data = copy.read_bytes()
    else:
        path = Path(connection.settings_dict["NAME"])
        wal = path.with_name(path.name + "-wal")
        data = path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    return {"file": data, "dump": "\n".join(source.iterdump()).encode()}


def needles(id_numbers, phones):
    """What would give a number away: whole, an ID number without its check digit, an X
    written small."""
    found = set()
    for number in id_numbers:
        found |= {number, number[:-1], number.lower()}
    return {n.encode() for n in found | set(phones)}


def scan(tmp_path, id_numbers, phones):
    """Where any of the numbers lies in plain text: ["table.column: number", …]."""
    wanted = needles(id_numbers, phones)
    hits = [
        f"{table}.{column}: {needle.decode()}"
        for table, column, data in every_value()
        for needle in wanted
        if needle in data
    ]
    for name, data in raw_sqlite(tmp_path).items():
        hits += [f"database {name}: {needle.decode()}" for needle in wanted if needle in data]
    return hits


@pytest.fixture
def world():
    return build_world()


def test_no_id_number_or_phone_is_stored_in_plain_text(world, tmp_path):
    grid_user = world.users["grid"]
    household = world.households[GRID]
    born = years_before_today(35)
    by_service, by_api, changed = (id_number(born, s) for s in ("611", "623", "635"))
    phones = ["13912340001", "13912340002", "13912340003", "05955551234", "13912340005"]

    # Through the services, as the pages and imports call them.
    resident = services.register_resident(
        actor=grid_user, household=household, name="服务登记", id_number=by_service, phone=phones[0]
    )
    services.update_resident(
        actor=grid_user,
        resident=resident,
        name="服务登记",
        relation_to_head="head",
        residence="registered_living",
        id_number=changed,
        phone=phones[3],
    )
    services.tag_key_group(actor=grid_user, resident=resident, kind="disabled")
    area_services.update_worker(
        actor=world.users["community"],
        worker=every(Worker).get(pk=4001),
        name="甲格网格员",
        affiliation="community",
        is_active=True,
        phone=phones[4],
    )

    # Through the API: register, change the phone, search by whole numbers, reveal.
    api = APIClient()
    api.force_authenticate(grid_user)
    response = api.post(
        "/api/residents/",
        {"household": household.pk, "name": "接口登记", "id_number": by_api, "phone": phones[1]},
        format="json",
    )
    assert response.status_code == 201, response.json()
    url = f"/api/residents/{response.json()['id']}/"
    assert api.patch(url, {"phone": phones[2]}, format="json").status_code == 200
    for text in (by_api, phones[2], by_api[-6:]):
        assert api.get("/api/residents/", {"q": text}).json()["count"] == 1
    assert api.post(url + "reveal/").json()["id_number"] == by_api

    # Through the pages: reveal, and export a list searched by a whole ID number.
    pages = Client()
    pages.force_login(grid_user)
    assert pages.post(reverse("resident_reveal", args=[resident.pk])).status_code == 200
    export = pages.get(reverse("resident_export"), {"q": changed, "reveal": "1"})
    assert export.status_code == 200
    b"".join(export.streaming_content)

    numbers = [*ID_NUMBERS.values(), by_service, by_api, changed]
    everyone = [*phones, "13800138000"]
    assert scan(tmp_path, numbers, everyone) == []

    # The scan did read the registry: the stored tails, the encrypted columns, the names.
    residents = {
        column: data for table, column, data in every_value() if table == "people_resident"
    }
    assert residents["id_number"].startswith(b"fk1.")  # AES-GCM, key id and nonce first
    tails = [data for table, column, data in every_value() if column == "id_number_tail"]
    assert changed[-4:].encode() in tails
    for data in raw_sqlite(tmp_path).values():
        assert "接口登记".encode() in data


def test_the_scan_finds_a_number_written_in_plain_text(world, tmp_path):
    resident = world.residents[GRID]
    number, phone = ID_NUMBERS[GRID], "13800138000"
    assert scan(tmp_path, [number], [phone]) == []
    # What a careless feature might do: copy the numbers into a free-text field.
    every(Resident).filter(pk=resident.pk).update(status_note=f"证件 {number[:-1]}?")
    every(KeyGroup).filter(resident=resident).update(note=f"电话{phone}")
    hits = scan(tmp_path, [number], [phone])
    assert f"people_resident.status_note: {number[:-1]}" in hits
    assert f"people_keygroup.note: {phone}" in hits
    if connection.vendor == "sqlite":
        assert f"database file: {phone}" in hits and f"database dump: {phone}" in hits


def test_an_imported_file_leaves_no_number_in_plain_text(world, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from fangkong.people import import_jobs
    from fangkong.people.models import ImportJob

    number, phone = id_number(years_before_today(50), "647"), "13912340009"
    rejected, rejected_phone = id_number(years_before_today(40), "659"), "13912340010"
    rows = [
        ["小区/楼栋/自然村", "门牌号", "姓名", "身份证号", "联系电话", "与户主关系", "重点人群"],
        ["甲格楼", "甲格101", "导入登记", number, phone, "子女", ""],
        ["甲格楼", "", "没有门牌", rejected, rejected_phone, "子女", ""],  # kept for download
    ]
    text = "\r\n".join(",".join(row) for row in rows) + "\r\n"
    job = import_jobs.submit(
        actor=world.users["grid"],
        area=world.areas[GRID],
        upload=SimpleUploadedFile("摸排表.csv", text.encode()),
    )
    numbers, phones = [number, rejected], [phone, rejected_phone]
    # While the job waits for confirmation, its file and rejected rows are stored encrypted.
    stored = every(ImportJob).get(pk=job.pk)
    assert number.encode() in stored.data and rejected.encode() in stored.rejected_rows
    assert scan(tmp_path, numbers, phones) == []
    job = import_jobs.commit(actor=world.users["grid"], job=job)
    assert job.state == ImportJob.State.DONE
    assert every(Resident).filter(name="导入登记").exists()
    assert scan(tmp_path, numbers, phones) == []
