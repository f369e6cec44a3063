import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from fangkong.areas.models import Worker
from tests.world import every

PASSWORD = "pw-for-tests-1"


@pytest.fixture(autouse=True)
def token_routes(settings):
    settings.ROOT_URLCONF = "tests.tokens.urls"


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()
    yield
    cache.clear()


def obtain(username, password=PASSWORD):
    return APIClient().post("/api/auth/token/", {"username": username, "password": password})


def token_for(username):
    response = obtain(username)
    assert response.status_code == 200, response.content
    return response.json()["token"]


def api_with(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def worker_of(user):
    return every(Worker).get(user=user)
