"""The user lists and revokes their own tokens; a manager those of the workers they manage."""

from rest_framework.test import APIClient

from fangkong.audit.models import AuditEvent
from fangkong.tokens.models import AuthToken
from tests.tokens.conftest import api_with, token_for, worker_of
from tests.world import every


def api_as(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_user_lists_only_their_own_tokens(world):
    own = token_for("grid")
    token_for("grid2")
    listed = api_with(own).get("/api/auth/tokens/").json()["results"]
    assert [t["hint"] for t in listed] == [own[:9]]
    assert "digest" not in listed[0] and "token" not in listed[0]


def test_a_user_revokes_their_own_token(world):
    key = token_for("grid")
    token = AuthToken.objects.get()
    client = api_with(key)
    assert client.delete(f"/api/auth/tokens/{token.pk}/").status_code == 204
    assert client.get("/api/residents/").status_code == 401
    token.refresh_from_db()
    assert token.revoked_reason == "owner" and token.revoked_by == world.users["grid"]
    event = every(AuditEvent).get(action="token.revoke")
    assert (event.actor, event.target_id) == (world.users["grid"], token.pk)


def test_a_manager_lists_and_revokes_the_tokens_of_a_worker_they_manage(world):
    key = token_for("medical")
    token = AuthToken.objects.get()
    manager = api_as(world.users["community"])
    worker = worker_of(world.users["medical"])
    listed = manager.get(f"/api/auth/tokens/?worker={worker.pk}").json()["results"]
    assert [t["id"] for t in listed] == [token.pk]
    assert manager.delete(f"/api/auth/tokens/{token.pk}/").status_code == 204
    assert api_with(key).get("/api/alerts/").status_code == 401
    token.refresh_from_db()
    assert token.revoked_reason == "manager" and token.revoked_by == world.users["community"]


def test_a_peer_can_neither_list_nor_revoke(world):
    token_for("grid")
    token = AuthToken.objects.get()
    worker = worker_of(world.users["grid"])
    for peer in ("grid2", "township2", "volunteer"):
        client = api_as(world.users[peer])
        assert client.delete(f"/api/auth/tokens/{token.pk}/").status_code == 404, peer
        assert client.get(f"/api/auth/tokens/?worker={worker.pk}").status_code == 404, peer
    assert AuthToken.objects.usable().count() == 1


def test_a_worker_one_sees_but_does_not_manage_is_a_403(world):
    token_for("community")
    medical = api_as(world.users["medical"])  # reads the community's workers, changes none
    community = worker_of(world.users["community"])
    assert medical.get(f"/api/auth/tokens/?worker={community.pk}").status_code == 403
    token = AuthToken.objects.get()
    assert medical.delete(f"/api/auth/tokens/{token.pk}/").status_code == 404


def test_a_superior_is_not_managed_by_a_subordinate(world):
    token_for("township")
    township = worker_of(world.users["township"])
    token = AuthToken.objects.get()
    community = api_as(world.users["community"])
    assert community.get(f"/api/auth/tokens/?worker={township.pk}").status_code == 404
    assert community.delete(f"/api/auth/tokens/{token.pk}/").status_code == 404


def test_a_malformed_worker_is_a_400_and_an_unknown_token_a_404(world):
    client = api_as(world.users["community"])
    assert client.get("/api/auth/tokens/?worker=abc").status_code == 400
    assert client.get("/api/auth/tokens/?worker=99999999999999999999").status_code == 400
    assert client.delete("/api/auth/tokens/999999/").status_code == 404


def test_a_revoked_token_cannot_be_revoked_again(world):
    key = token_for("grid")
    token = AuthToken.objects.get()
    client = api_as(world.users["grid"])
    assert client.delete(f"/api/auth/tokens/{token.pk}/").status_code == 204
    assert client.delete(f"/api/auth/tokens/{token.pk}/").status_code == 404
    assert api_with(key).get("/api/residents/").status_code == 401


def test_the_page_lists_and_revokes_ones_own_tokens(world, as_user):
    key = token_for("grid")
    token_for("grid2")
    client = as_user(world.users["grid"])
    page = client.get("/accounts/tokens/").content.decode()
    assert key[:9] in page and AuthToken.objects.count() == 2
    own = AuthToken.objects.get(user=world.users["grid"])
    other = AuthToken.objects.get(user=world.users["grid2"])
    assert client.post("/accounts/tokens/", {"token": other.pk}).status_code == 404
    assert client.post("/accounts/tokens/", {"token": own.pk}).status_code == 302
    assert api_with(key).get("/api/residents/").status_code == 401
    assert AuthToken.objects.usable().get() == other


def test_anonymous_visitors_get_401_and_the_login_page(world, client):
    assert APIClient().get("/api/auth/tokens/").status_code == 401
    response = client.get("/accounts/tokens/")
    assert response.status_code == 302 and "/accounts/login/" in response.url
