"""The product as its users see it (`make run`, production): DEBUG off, the product's own
error pages in Chinese, never Django's technical pages, and static files collected."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import include, path

ROOT = Path(__file__).resolve().parent.parent


def broken(request):
    raise RuntimeError("a bug")


def refused(request):
    raise PermissionDenied


urlpatterns = [
    path("broken/", broken),
    path("refused/", refused),
    path("", include("fangkong.urls")),
]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


def page(response, status):
    assert response.status_code == status
    text = response.content.decode()
    # The product's layout, in Chinese; none of Django's technical pages' words.
    assert "防控" in text and "返回我的首页" in text, text
    for english in ("Traceback", "Page not found", "Server Error", "Forbidden", "Bad Request"):
        assert english not in text, english
    return text


def test_an_unknown_address_answers_the_products_404(client, world):
    page(client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="en"), 404)
    client.force_login(world.users["grid"])
    text = page(client.get("/no-such-page/"), 404)
    assert "不存在" in text


def test_a_refused_action_answers_the_products_403(client, world):
    client.force_login(world.users["grid"])
    page(client.get("/refused/"), 403)


def test_a_server_error_answers_the_products_500():
    client = Client(raise_request_exception=False)
    text = page(client.get("/broken/"), 500)
    assert "系统出错了" in text and "a bug" not in text


def test_a_bad_request_answers_the_products_400():
    text = page(Client().get("/", HTTP_HOST="evil.example"), 400)
    assert "请求有误" in text


def test_an_expired_form_answers_the_products_page():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    text = page(response, 403)
    assert "页面已过期" in text


def test_make_run_serves_collected_static_files_with_debug_off(tmp_path):
    """`make run` sets DJANGO_DEBUG=0 and STATIC_ROOT: hashed, compressed files from there."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "fangkong.settings",
        "DJANGO_DEBUG": "0",
        "STATIC_ROOT": str(tmp_path),
    }
    code = (
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.WHITENOISE_USE_FINDERS, s.STORAGES['staticfiles']['BACKEND'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == [
        "False",
        "False",
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
    ]
