"""Whole numbers never travel in a URL, nor land in a log (issue 12, point 4).

The resident list's form POSTs its search; the address the answer gives the browser, the
pages' links and the export link carry a search holding a whole ID number or phone as an
encrypted token (`q_token`); the API takes such a search in a POST body; the access log of
production (deploy/gunicorn.conf.py) and the product's own log lines keep no query string."""

import html as markup
import io
import json
import logging
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import translation
from python_calamine import CalamineWorkbook
from rest_framework.test import APIClient

from fangkong.audit.models import AuditEvent
from fangkong.logfilters import NoQueryStrings
from fangkong.people.filters import masked_search, read_search_token, search_token
from fangkong.web import CappedPaginator
from tests.people.helpers import register, years_before_today
from tests.world import every

ROOT = Path(__file__).resolve().parents[2]
GRID = "350502001001001"
PHONE = "13912345678"
URL_ATTRIBUTE = re.compile(r'(?:href|action|hx-get|hx-post|hx-push-url|src)="([^"]*)"')


@pytest.fixture
def person(world):
    return register(world, GRID, "张三丰", born=years_before_today(30), serial="451", phone=PHONE)


def secrets_of(person):
    """Every form in which the person's whole numbers could appear."""
    number = person.id_number
    return [number, number.lower(), PHONE, "139 1234 5678", "139%201234%205678"]


def assert_clean(text, person):
    for secret in secrets_of(person):
        assert secret not in text, secret


def urls_in(html):
    return [markup.unescape(url) for url in URL_ATTRIBUTE.findall(html)]


class OnePerPage(CappedPaginator):
    def __init__(self, object_list, per_page, **kwargs):
        super().__init__(object_list, 1, **kwargs)


def htmx(client, data, **extra):
    return client.post(reverse("resident_list"), data, HTTP_HX_REQUEST="true", **extra)


def test_a_search_by_whole_number_answers_with_an_address_holding_its_token(world, person, as_user):
    client = as_user(world.users["grid"])
    for typed in (person.id_number, PHONE, "139 1234 5678", f"张三丰 {PHONE}"):
        rows = htmx(client, {"q": typed, "status": "active", "within": GRID})
        assert rows.status_code == 200
        html = rows.content.decode()
        assert "<html" not in html
        if "张三丰 " not in typed:
            assert "张三丰" in html
        address = rows["HX-Push-Url"]
        assert_clean(address, person)
        query = parse_qs(urlsplit(address).query)
        assert "q" not in query and query["within"] == [GRID]
        assert read_search_token(query["q_token"][0]) == typed
        # The rows' export link follows the search, and holds no number either.
        assert 'id="export-buttons" hx-swap-oob="true"' in html
        assert any("q_token=" in url for url in urls_in(html) if "/export/" in url)
        assert_clean(html, person)


def test_two_tokens_of_one_number_differ_and_a_made_up_one_is_refused(world, person):
    assert search_token(PHONE) != search_token(PHONE)
    assert read_search_token(search_token(PHONE)) == PHONE
    for made_up in ("", "x", "fk1.00000000.AAAA", "gAAAAA", "fk1." + "A" * 40, "\x00" * 3):
        assert read_search_token(made_up) is None
    assert masked_search(person.id_number) == f"350502********{person.id_number[-4:]}"
    assert masked_search(PHONE) == "139****5678"
    assert masked_search(f"张三 {PHONE}") == "张三 ***********"
    assert masked_search("zsf") == "zsf"


def test_the_page_at_the_tokenised_address_never_shows_the_number(
    world, person, as_user, monkeypatch
):
    # One person a page, so that the page has pagination links to look at.
    monkeypatch.setattr("fangkong.areas.pages.CappedPaginator", OnePerPage)
    register(world, GRID, "李四", born=years_before_today(40), serial="463", phone=PHONE)
    client = as_user(world.users["community"])
    address = htmx(client, {"q": PHONE, "status": "active"})["HX-Push-Url"]
    page = client.get(address)
    assert page.status_code == 200
    html = page.content.decode()
    assert "<html" in html and "张三丰" in html
    assert "139****5678" in html
    assert_clean(html, person)
    links = urls_in(html)
    nexts = [url for url in links if "page=2" in url]
    exports = [url for url in links if "/residents/export/" in url]
    assert nexts and exports
    for url in links:
        assert_clean(url, person)
    assert all("q_token=" in url for url in nexts + exports)
    # The next page and the export both still search for the number.
    second = client.get(reverse("resident_list") + nexts[0])
    assert "李四" in second.content.decode()
    assert_clean(second.content.decode(), person)
    export = client.get(exports[0])
    assert export.status_code == 200
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(export.streaming_content)))
    cells = {cell for row in sheet.get_sheet_by_index(0).to_python() for cell in row}
    assert {"张三丰", "李四"} <= cells
    # The export is audited with its filter, the number masked.
    event = every(AuditEvent).filter(action="export").latest("pk")
    recorded = json.dumps(event.detail["filters"], ensure_ascii=False)
    assert_clean(recorded, person)
    assert "139****5678" in recorded


def test_the_form_carries_the_token_until_something_else_is_typed(world, person, as_user):
    client = as_user(world.users["grid"])
    token = search_token(person.id_number)
    # Changing a select of the page opened at the tokenised address keeps the search …
    rows = htmx(client, {"q": "", "q_token": token, "status": ""})
    html = rows.content.decode()
    assert "张三丰" in html and 'name="q_token"' in html
    assert read_search_token(parse_qs(urlsplit(rows["HX-Push-Url"]).query)["q_token"][0])
    # … and a search typed anew replaces it.
    rows = htmx(client, {"q": "李", "q_token": token, "status": ""})
    assert "q_token" not in rows["HX-Push-Url"] and "张三丰" not in rows.content.decode()
    assert 'name="q_token"' not in rows.content.decode()


def test_without_script_the_form_posts_and_is_sent_to_the_tokenised_address(world, person, as_user):
    client = as_user(world.users["grid"])
    response = client.post(
        reverse("resident_list"), {"q": person.id_number, "csrfmiddlewaretoken": "x"}
    )
    assert response.status_code == 303
    assert_clean(response["Location"], person)
    assert "csrfmiddlewaretoken" not in response["Location"]
    assert "张三丰" in client.get(response["Location"]).content.decode()


def test_an_old_link_with_a_whole_number_is_sent_to_the_tokenised_address(world, person, as_user):
    client = as_user(world.users["grid"])
    response = client.get(reverse("resident_list"), {"q": person.id_number})
    assert response.status_code == 303
    assert_clean(response["Location"], person)
    assert "q_token=" in response["Location"]
    # A short search (a name, a tail) stays as it was typed.
    assert client.get(reverse("resident_list"), {"q": person.id_number[-6:]}).status_code == 200


def test_the_form_posts_with_its_csrf_token(world, person):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["grid"])
    html = client.get(reverse("resident_list")).content.decode()
    form = re.search(r'<form method="post" action="/residents/"[^>]*>', html)
    assert form and 'hx-post="/residents/"' in form.group(0)
    assert "hx-get" not in form.group(0)
    assert client.post(reverse("resident_list"), {"q": PHONE}).status_code == 403
    token = client.cookies["csrftoken"].value
    answer = client.post(reverse("resident_list"), {"q": PHONE}, HTTP_X_CSRFTOKEN=token)
    assert answer.status_code == 303


def test_a_changed_or_stale_token_is_a_message_and_no_rows(world, person, as_user):
    client = as_user(world.users["grid"])
    token = search_token(PHONE)
    with translation.override("zh-hans"):
        refused = markup.escape(
            translation.gettext(
                "This search no longer works (the link is old or was changed): type it again."
            )
        )
    for bad in (token[:-4] + "AAAA", "nonsense", search_token(PHONE)[:20], "x" * 2000):
        page = client.get(reverse("resident_list"), {"q_token": bad})
        assert page.status_code == 200
        html = page.content.decode()
        assert "张三丰" not in html and 'class="alert alert-warning' in html
        if len(bad) < 1000:
            assert refused in html
        export = client.get(reverse("resident_export"), {"q_token": bad})
        assert export.status_code == 404
        api = APIClient()
        api.force_authenticate(world.users["grid"])
        assert api.get("/api/residents/", {"q_token": bad}).status_code == 400


def test_the_api_searches_by_a_posted_whole_number(world, person):
    api = APIClient()
    api.force_authenticate(world.users["grid"])
    for text in (person.id_number, PHONE):
        answer = api.post("/api/residents/search/?status=active", {"q": text}, format="json")
        assert answer.status_code == 200, answer.content
        assert [r["name"] for r in answer.json()["results"]] == ["张三丰"]
        assert_clean(json.dumps(answer.json()), person)
    # The other filters stay in the query string and narrow the search.
    answer = api.post("/api/residents/search/?status=moved_out", {"q": PHONE})
    assert answer.json()["results"] == []
    assert api.post("/api/residents/search/", {}, format="json").status_code == 400
    bad = api.post("/api/residents/search/?age_min=-1", {"q": PHONE}, format="json")
    assert bad.status_code == 400
    # As the list: a role that lists no residents is refused, a token works too.
    token = search_token(PHONE)
    answer = api.get("/api/residents/", {"q_token": token})
    assert [r["name"] for r in answer.json()["results"]] == ["张三丰"]
    volunteer = APIClient()
    volunteer.force_authenticate(world.users["volunteer"])
    assert volunteer.post("/api/residents/search/", {"q": PHONE}).status_code == 403


def test_the_schema_documents_the_posted_search():
    schema = (ROOT / "docs" / "openapi.yaml").read_text()
    assert "/api/residents/search/:" in schema
    assert "name: q_token" in schema


def test_the_products_log_lines_keep_no_query_string(person):
    # The console handler (the test runner may add its own beside it).
    [handler] = [
        handler
        for handler in logging.getLogger("django.server").handlers
        if any(isinstance(f, NoQueryStrings) for f in handler.filters)
    ]
    before = handler.setStream(io.StringIO())
    try:
        logging.getLogger("django.server").info(
            '"%s" %s %s', f"GET /residents/?q={person.id_number}&page=2 HTTP/1.1", "200", "5"
        )
        logging.getLogger("fangkong").warning("Went to %s", f"/residents/?q={PHONE}")
    finally:
        stream = handler.setStream(before)
    written = stream.getvalue()
    assert '"GET /residents/ HTTP/1.1" 200 5' in written
    assert_clean(written, person)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url(tmp_path):
    """A URL of the test database the server reads: on SQLite a copy of it (the tests' own
    lives in memory), on PostgreSQL the test database itself."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        copy = tmp_path / "db.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(copy) as target:
            connection.connection.backup(target)
        return f"sqlite:///{copy}"
    return f"postgresql://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


class Browser:
    """Just enough of a browser: the session's cookie, a CSRF token, redirects followed."""

    def __init__(self, base, session):
        self.base = base
        self.cookie = f"sessionid={session}; csrftoken={'c' * 32}"

    def send(self, path, data=None, *, json_body=None, **headers):
        body = None
        headers = {"Cookie": self.cookie, "X-CSRFToken": "c" * 32, **headers}
        if json_body is not None:
            body = json.dumps(json_body).encode()
            headers["Content-Type"] = "application/json"
        elif data is not None:
            body = urlencode(data).encode()
        request = urllib.request.Request(self.base + path, data=body, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=20) as answer:
                return answer.status, answer.headers, answer.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()


@pytest.mark.django_db(transaction=True)
def test_a_real_server_logs_no_whole_number(world, person, tmp_path):
    """gunicorn with the production settings of its log (deploy/gunicorn.conf.py), searched
    every way a user and an API client can: its access log and its error output hold neither
    the ID number nor the phone, and no query string at all."""
    client = Client()
    client.force_login(world.users["community"])
    session = client.cookies["sessionid"].value
    url = database_url(tmp_path)
    port = free_port()
    access, errors = tmp_path / "access.log", tmp_path / "errors.log"
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "fangkong.settings",
        "DJANGO_DEBUG": "0",
        "FANGKONG_TASKS": "immediate",
        "LOG_LEVEL": "INFO",
        "SECRET_KEY": settings.SECRET_KEY,
        "FIELD_ENCRYPTION_KEY": settings.FIELD_ENCRYPTION_KEY,
        "FIELD_HMAC_KEY": settings.FIELD_HMAC_KEY,
    }
    command = [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", "1"]
    command += ["--access-logfile", str(access), "fangkong.wsgi"]
    with errors.open("w") as stderr:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=stderr, stderr=stderr)
    try:
        browser = Browser(f"http://127.0.0.1:{port}", session)
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None, errors.read_text()
                time.sleep(0.1)
        number = person.id_number
        # As the page's form sends it (htmx), then the pushed address and its export link.
        status, headers, body = browser.send(
            "/residents/", {"q": number, "status": "active"}, **{"HX-Request": "true"}
        )
        assert status == 200 and "张三丰" in body.decode(), body[:300]
        status, _headers, page = browser.send(headers["HX-Push-Url"])
        assert status == 200 and "张三丰" in page.decode()
        export = next(u for u in urls_in(page.decode()) if "/residents/export/" in u)
        status, _headers, sheet = browser.send(export)
        assert status == 200 and sheet[:2] == b"PK"
        # Without script, an old link, the API's POST and GET, a page that does not exist,
        # and a Referer holding the number.
        status, _headers, body = browser.send("/residents/", {"q": PHONE})
        assert status == 200 and "张三丰" in body.decode()
        referer = {"Referer": f"http://127.0.0.1:{port}/residents/?q={number}"}
        assert browser.send(f"/residents/?q={number}", **referer)[0] == 200
        status, _headers, body = browser.send("/api/residents/search/", json_body={"q": number})
        assert status == 200 and json.loads(body)["count"] == 1
        assert browser.send(f"/api/residents/?q={PHONE}")[0] == 200
        assert browser.send(f"/residents/export/?q={number}")[0] == 200
        assert browser.send(f"/no-such-page/?q={number}")[0] == 404
    finally:
        server.send_signal(signal.SIGINT)  # a quick shutdown; SIGTERM waits for keep-alives
        server.wait(timeout=20)
    log = access.read_text()
    assert "/residents/" in log and "/api/residents/search/" in log and "/residents/export/" in log
    assert '"POST /residents/ HTTP/1.1" 303' in log and '"GET /no-such-page/ HTTP/1.1" 404' in log
    assert_clean(log, person)
    assert_clean(errors.read_text(), person)
    assert "?" not in log and "q_token" not in log
