import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

ROOT = Path(__file__).resolve().parent.parent


def test_production_settings_pass_the_deployment_checks():
    env = {
        "PATH": os.environ["PATH"],
        "FANGKONG_ENV": "production",
        "SECRET_KEY": "x" * 20 + "-a-long-random-production-secret-key-0123456789",
        "FIELD_ENCRYPTION_KEY": "uXzMZr1nYJgXo8Fz0M0v0m0hBbpnIgK0aF6Xr8vQk8s=",
        "FIELD_HMAC_KEY": "another-long-secret",
        "ALLOWED_HOSTS": "fangkong.example.gov.cn",
        "DATABASE_URL": "sqlite:////tmp/fangkong-deploy-check.sqlite3",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_its_secrets():
    env = {"PATH": os.environ["PATH"], "FANGKONG_ENV": "production"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_chinese_is_the_default_language_and_shanghai_the_time_zone():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"


def test_front_end_libraries_are_served_by_the_app():
    for path in (
        "vendor/bootstrap/css/bootstrap.min.css",
        "vendor/htmx/htmx.min.js",
        "vendor/echarts/echarts.min.js",
    ):
        assert finders.find(path), path


def test_pages_load_nothing_from_a_cdn(world, as_user):
    text = as_user(world.users["grid"]).get("/", follow=True).content.decode()
    assert "/static/vendor/bootstrap/" in text
    assert "http://" not in text and "https://" not in text


def test_the_admin_is_for_superusers_only(world, as_user):
    staff = world.users["community"]
    staff.is_staff = True
    staff.save()
    client = as_user(staff)
    for url in ("/admin/", "/admin/people/resident/", "/admin/areas/role/add/"):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response.url, url
    sysadmin = world.users["sysadmin"]
    sysadmin.is_staff = sysadmin.is_superuser = True
    sysadmin.save()
    assert as_user(sysadmin).get("/admin/people/resident/").status_code == 200


def test_generated_development_secrets_are_private():
    assert settings.LOCAL_ENV_FILE.stat().st_mode & 0o077 == 0


def test_pages_are_chinese_whatever_the_browser_asks_for(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "登录" in response.content.decode()


def test_a_user_may_choose_english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    response = client.get("/accounts/login/")
    assert "Log in" in response.content.decode()


def test_no_demo_data_in_production(db, settings):
    from django.core.management import CommandError, call_command

    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        call_command("load_demo", "--if-empty")
