"""zh-hans is the default language and must be complete: every marked string translated."""

import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from fangkong.areas.models import Worker
from tests.walker import Walker, routes
from tests.world import ALL_PERSONAS, every

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = Path("locale") / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_every_user_facing_string_has_a_chinese_translation(tmp_path):
    # Extract the strings of the current code into a copy of the catalogue, as `make messages`
    # does, in a copy of the sources (so the real catalogue is never touched), and ask msgfmt
    # whether anything is untranslated or fuzzy.
    shutil.copytree(
        ROOT / "fangkong", tmp_path / "fangkong", ignore=shutil.ignore_patterns("locale")
    )
    (tmp_path / CATALOGUE).parent.mkdir(parents=True)
    shutil.copy(ROOT / "fangkong" / CATALOGUE, tmp_path / CATALOGUE)
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "zh_Hans", "--no-obsolete"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        check=True,
    )
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(tmp_path / CATALOGUE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, (
        f"{result.stderr.strip()}: run `make messages` and translate the new strings"
    )


# ---------------------------------------------------------------- every page, every persona
# (issue 13, point 5): what a reader sees is Chinese, whatever language the browser asks for.

# Words a Chinese page may show as they are: names of things that have no other name here,
# file types, encodings and sizes, the example of a name's initials (张三: zs), and the
# language selector's own name for English.
ALLOWED_WORDS = {
    *("API", "Excel", "WPS", "ID", "Swagger", "English", "zs"),
    *("xlsx", "xls", "ods", "csv", "GBK", "UTF", "MB", "KB"),
    *("PDF", "pdf", "Word", "doc", "docx", "jpg", "png"),
}
# Attributes whose values a reader sees (or hears); every other attribute is markup.
SHOWN_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt"}
WORD = re.compile(r"[A-Za-z][A-Za-z'’]*[A-Za-z]")
BROWSER_LANGUAGE = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}
# One persona per role kind (grid2 and township2 see what grid and township see elsewhere).
READERS = [name for name in ALL_PERSONAS if name not in {"grid2", "township2"}]


class ShownText(HTMLParser):
    """The text of a page as a reader meets it: no scripts, styles or markup."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self.hidden += 1
        shown = dict(attrs)
        if tag == "input" and shown.get("type") in ("submit", "button"):
            self.parts.append(shown.get("value") or "")
        self.parts += [value or "" for name, value in attrs if name in SHOWN_ATTRIBUTES]

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def english_words(html, data=()):
    """The English words a reader sees on the page, but those of `data` (usernames)."""
    parser = ShownText()
    parser.feed(html)
    text = " ".join(parser.parts)
    for value in data:
        text = text.replace(value, " ")
    return sorted({w for w in WORD.findall(text) if w not in ALLOWED_WORDS})


def html_routes():
    """The routes of pages: not those of the API (DRF views, the schema)."""
    return [r for r in routes() if not hasattr(r.callback, "cls")]


HTML_ROUTES = html_routes()


def page_as(walker, username, route, targets):
    """The route's page as the persona sees it: the first of `targets` it may open, else the
    answer it gets (a 403 or 404 page is a page too)."""
    walker.login(username)
    response = None
    for target in targets:
        response = walker.client.get(walker.url(route, target), **BROWSER_LANGUAGE)
        if response.status_code == 200:
            break
    return response


@pytest.mark.django_db
@pytest.mark.parametrize("route", HTML_ROUTES, ids=[r.name for r in HTML_ROUTES])
def test_every_page_is_chinese_for_every_persona(client, walk_world, route):
    walker = Walker(client, walk_world)
    targets = walker.targets(route)
    assert not walker.problems, walker.problems
    # The world's usernames and worker names are data, some of them English.
    data = [user.username for user in walk_world.users.values()]
    data += every(Worker).values_list("name", flat=True)
    data.sort(key=len, reverse=True)
    found = {}
    for username in READERS:
        response = page_as(walker, username, route, targets)
        if response is None or "text/html" not in response.get("Content-Type", ""):
            continue
        words = english_words(response.content.decode(), data)
        if words:
            found[f"{username} {response.status_code} {response.request['PATH_INFO']}"] = words
    assert not found, f"English on {route.name}: {found}"


@pytest.mark.django_db
def test_the_login_and_error_pages_are_chinese_for_an_english_browser(client):
    for url in ("/accounts/login/", "/no-such-page/"):
        response = client.get(url, **BROWSER_LANGUAGE)
        assert english_words(response.content.decode()) == [], url


CHINESE = re.compile(r"[\u4e00-\u9fff]")


def descriptions(node):
    """Every description and summary of a schema."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("description", "summary") and isinstance(value, str):
                yield value
            else:
                yield from descriptions(value)
    elif isinstance(node, list):
        for value in node:
            yield from descriptions(value)


@pytest.mark.django_db
def test_the_api_docs_and_schema_default_to_chinese(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("reader", password="x"))
    page = client.get("/api/docs/", **BROWSER_LANGUAGE).content.decode()
    assert "<title>防控平台接口</title>" in page and "返回平台" in page
    schema = client.get("/api/schema/", {"format": "json"}, **BROWSER_LANGUAGE).json()
    assert schema["info"]["title"] == "防控平台接口"
    english = sorted(
        {
            text
            for text in descriptions(schema)
            # A choice field's generated list of its codes says nothing to translate.
            if english_words(text) and not CHINESE.search(text) and not text.startswith("* `")
        }
    )
    assert not english, (
        "API descriptions without Chinese (add each to "
        f"fangkong/locale_api/zh_Hans/LC_MESSAGES/django.po): {english}"
    )


@pytest.mark.django_db
def test_api_errors_are_chinese_for_an_english_browser(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("reader", password="x"))
    missing = client.get("/api/residents/999999/", **BROWSER_LANGUAGE).json()
    assert missing == {"detail": "未找到。"}
    anonymous = Client().get("/api/residents/", **BROWSER_LANGUAGE).json()
    assert not english_words(anonymous["detail"]), anonymous


@pytest.mark.parametrize("password", ["abc", "12345678901", "password"])
def test_password_rules_speak_chinese(password):
    with translation.override(settings.LANGUAGE_CODE), pytest.raises(ValidationError) as refused:
        validate_password(password, get_user_model()(username="reader"))
    for message in refused.value.messages:
        assert not english_words(message), message


def test_every_app_has_a_chinese_name_in_the_admin():
    with translation.override(settings.LANGUAGE_CODE):
        for config in apps.get_app_configs():
            if config.models_module is not None:
                assert CHINESE.search(str(config.verbose_name)), config.label
