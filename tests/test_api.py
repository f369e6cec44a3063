import json
from pathlib import Path

import yaml
from django.urls import reverse
from django.utils import translation
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from fangkong.areas.models import Building
from fangkong.tokens.services import issue_token
from tests.world import every

ROOT = Path(__file__).resolve().parent.parent


def api_as(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_token_authentication_and_scoped_lists(world):
    token = issue_token(user=world.users["grid"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.get("/api/residents/")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [r["name"] for r in rows] == ["甲格居民"]
    assert rows[0]["id_number"] == "350502********123X"
    assert rows[0]["phone"] == "138****8000"


def test_a_token_is_obtained_with_username_and_password(world):
    response = APIClient().post(
        reverse("api-token"), {"username": "grid", "password": "pw-for-tests-1"}
    )
    assert response.status_code == 200 and response.json()["token"]


def test_areas_are_looked_up_by_code_within_scope(world):
    client = api_as(world.users["township"])
    assert client.get("/api/areas/350502001001/").json()["name"] == "新华社区"
    assert client.get("/api/areas/350502002001/").status_code == 404
    codes = [a["code"] for a in client.get("/api/areas/?level=grid").json()["results"]]
    assert codes == ["350502001001001", "350502001001002"]


def test_a_building_is_created_through_the_service(world):
    client = api_as(world.users["grid"])
    response = client.post(
        "/api/buildings/", {"area": "350502001001001", "name": "7号楼", "kind": "building"}
    )
    assert response.status_code == 201, response.json()
    assert every(Building).get(name="7号楼").area_path == world.areas["350502001001001"].path


def test_a_building_cannot_be_created_outside_the_scope(world):
    client = api_as(world.users["grid"])
    response = client.post(
        "/api/buildings/", {"area": "350502001001002", "name": "8号楼", "kind": "building"}
    )
    assert response.status_code == 400
    assert not every(Building).filter(name="8号楼").exists()


def test_a_role_without_the_permission_gets_403_inside_the_scope(world):
    client = api_as(world.users["volunteer"])
    response = client.post(
        "/api/buildings/", {"area": "350502001001001", "name": "9号楼", "kind": "building"}
    )
    assert response.status_code == 403


def test_a_volunteer_gets_403_on_the_resident_list_and_404_on_a_resident(world):
    client = api_as(world.users["volunteer"])  # on 甲格's grid, without people.view_resident
    assert client.get("/api/residents/").status_code == 403
    resident = world.residents["350502001001001"]  # inside the volunteer's grid
    assert client.get(f"/api/residents/{resident.pk}/").status_code == 404
    assert client.patch(f"/api/residents/{resident.pk}/", {"phone": ""}).status_code == 404


def test_a_resident_of_another_grid_is_404_even_to_a_role_that_reads_residents(world):
    client = api_as(world.users["grid"])
    neighbour = world.residents["350502001001002"]
    assert client.get(f"/api/residents/{neighbour.pk}/").status_code == 404
    assert client.patch(f"/api/residents/{neighbour.pk}/", {"phone": ""}).status_code == 404


def test_the_openapi_schema_and_docs_are_published(world, client, as_user):
    assert client.get("/api/schema/").status_code == 401  # for logged-in workers only
    client = as_user(world.users["grid"])
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    text = schema.content.decode()
    for route in ("/api/areas/", "/api/buildings/", "/api/workers/", "/api/residents/"):
        assert route in text
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert "swagger-ui" in docs.content.decode()
    assert "//cdn" not in docs.content.decode()


def test_the_published_schema_file_is_current(settings):
    # As `make schema` writes it: in the default language, whatever an earlier request chose.
    with translation.override(settings.LANGUAGE_CODE):
        generated = SchemaGenerator().get_schema(request=None, public=True)
    committed = yaml.safe_load((ROOT / "docs" / "openapi.yaml").read_text())
    assert committed == json.loads(json.dumps(generated)), "run `make schema`"


def test_a_community_worker_grants_and_revokes_a_role_through_the_api(world):
    client = api_as(world.users["community"])
    worker = world.workers["350502001001001"]
    response = client.post(
        "/api/roles/", {"worker": worker.pk, "area": "350502001001002", "kind": "grid_worker"}
    )
    assert response.status_code == 201, response.json()
    role_id = response.json()["id"]
    assert client.delete(f"/api/roles/{role_id}/").status_code == 204


def test_a_role_above_the_community_is_refused_through_the_api(world):
    client = api_as(world.users["community"])
    worker = world.workers["350502001001001"]
    response = client.post(
        "/api/roles/", {"worker": worker.pk, "area": "350502001000", "kind": "supervisor"}
    )
    assert response.status_code == 400  # the township is not among the areas it may name
