import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fangkong.areas import services
from fangkong.areas.models import Area, Building, Level, Role, RoleKind, Worker, code_fits_level
from fangkong.areas.permissions import grantable_kinds
from fangkong.people.models import Resident
from fangkong.scope import ScopeError
from tests.world import every


def test_a_place_bound_model_without_scope_is_an_error(world):
    with pytest.raises(ScopeError):
        list(Building.objects.all())
    with pytest.raises(ScopeError):
        Area.objects.filter(level=Level.GRID).count()


def test_a_user_sees_exactly_the_subtrees_of_their_roles(world):
    grid_user = world.users["grid"]
    assert set(
        Building.objects.visible_to(grid_user, "areas.view_building").values_list("name", flat=True)
    ) == {"甲格楼"}
    township = world.users["township"]
    assert set(
        Building.objects.visible_to(township, "areas.view_building").values_list("name", flat=True)
    ) == {
        "甲格楼",
        "乙格楼",
    }
    assert (
        Area.objects.visible_to(township, "areas.view_area").filter(level=Level.COMMUNITY).count()
        == 1
    )


def test_a_user_without_roles_sees_nothing(world, django_user_model):
    nobody = django_user_model.objects.create_user("nobody")
    assert not Area.objects.visible_to(nobody, "areas.view_area").exists()


def test_an_inactive_worker_sees_nothing(world):
    user = world.users["grid"]
    every(Worker).filter(user=user).update(is_active=False)
    user.refresh_from_db()
    assert not Area.objects.visible_to(user, "areas.view_area").exists()


def test_a_community_worker_adds_a_worker_and_gives_a_role_in_the_community(world):
    actor = world.users["community"]
    community = world.areas["350502001001"]
    worker = services.add_worker(
        actor=actor,
        area=community,
        name="林小梅",
        affiliation=Worker.Affiliation.VOLUNTEER,
        phone="138 0013 8001",
        username="linxm",
        password="a-long-Password-9",
    )
    role = services.grant_role(
        actor=actor, worker=worker, area=world.areas["350502001001002"], kind=RoleKind.GRID_WORKER
    )
    assert role.area_path == world.areas["350502001001002"].path
    assert worker.user.check_password("a-long-Password-9")
    assert worker.phone == "13800138001"


def test_a_community_worker_never_grants_above_the_community(world):
    actor = world.users["community"]
    worker = world.workers["350502001001001"]
    with pytest.raises(PermissionDenied):
        services.grant_role(
            actor=actor, worker=worker, area=world.areas["350502001000"], kind=RoleKind.SUPERVISOR
        )
    with pytest.raises(PermissionDenied):
        services.grant_role(
            actor=actor,
            worker=worker,
            area=world.areas["350502002001"],
            kind=RoleKind.COMMUNITY_WORKER,
        )


def test_a_role_must_fit_the_level_of_its_area(world):
    with pytest.raises(ValidationError):
        services.grant_role(
            actor=world.users["community"],
            worker=world.workers["350502001001001"],
            area=world.areas["350502001001"],
            kind=RoleKind.GRID_WORKER,
        )


def test_a_grid_worker_may_not_grant_roles(world):
    with pytest.raises(PermissionDenied):
        services.grant_role(
            actor=world.users["grid"],
            worker=world.workers["350502001001001"],
            area=world.areas["350502001001001"],
            kind=RoleKind.VOLUNTEER,
        )


def test_granting_the_same_role_twice_is_refused_and_changes_nothing(world):
    args = {
        "actor": world.users["community"],
        "worker": world.workers["350502001001001"],
        "area": world.areas["350502001001001"],
        "kind": RoleKind.GRID_WORKER,
    }
    before = every(Role).count()
    with pytest.raises(ValidationError):
        services.grant_role(**args)
    assert every(Role).count() == before


def test_a_weak_password_is_refused_and_no_worker_is_created(world):
    before = every(Worker).count()
    with pytest.raises(ValidationError) as error:
        services.add_worker(
            actor=world.users["community"],
            area=world.areas["350502001001"],
            name="王五",
            affiliation=Worker.Affiliation.COMMUNITY,
            username="wangwu",
            password="123",
        )
    assert "password" in error.value.message_dict
    assert every(Worker).count() == before


def test_grid_codes_extend_their_community_code(world):
    community = world.areas["350502001001"]
    actor = world.users["community"]
    grid = services.create_area(
        actor=actor, parent=community, code="350502001001003", name="第三网格", level=Level.GRID
    )
    assert grid.path == community.path + "350502001001003/"
    with pytest.raises(ValidationError) as error:
        services.create_area(
            actor=actor, parent=community, code="350502009001004", name="错", level=Level.GRID
        )
    assert "code" in error.value.message_dict


def test_a_building_is_placed_in_a_grid_of_the_actor(world):
    actor = world.users["grid"]
    building = services.save_building(
        actor=actor, grid=world.areas["350502001001001"], name="5号楼", kind=Building.Kind.BUILDING
    )
    assert building.area_path == world.areas["350502001001001"].path
    with pytest.raises(PermissionDenied):
        services.save_building(
            actor=actor,
            grid=world.areas["350502001001002"],
            name="6号楼",
            kind=Building.Kind.BUILDING,
        )


def test_revoking_a_role_is_limited_to_roles_the_actor_could_grant(world):
    township_role = every(Role).get(worker__user=world.users["township"])
    with pytest.raises(PermissionDenied):
        services.revoke_role(actor=world.users["community"], role=township_role)
    services.revoke_role(actor=world.users["community"], role=world.roles["350502001001001"])
    assert not every(Role).filter(pk=world.roles["350502001001001"].pk).exists()


def test_the_scope_filter_is_answered_from_the_path_index(world):
    from django.db import connection

    queryset = Resident.objects.visible_to(world.users["township"], "people.view_resident")
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "area_path" in plan and "Index" in plan.title(), plan
    assert sorted(r.name for r in queryset) == ["乙格居民", "甲格居民"]


@pytest.mark.parametrize(
    ("code", "level", "fits"),
    [
        ("350000000000", Level.PROVINCE, True),
        ("350500000000", Level.CITY, True),
        ("350502000000", Level.COUNTY, True),
        ("350502001000", Level.TOWNSHIP, True),
        ("350502001001", Level.COMMUNITY, True),
        ("350502123456", Level.TOWNSHIP, False),  # digits after a township's nine
        ("350502000000", Level.TOWNSHIP, False),  # no digits of its own
        ("35050200100", Level.COMMUNITY, False),
    ],
)
def test_division_codes_fit_their_level(code, level, fits):
    assert code_fits_level(code, level) is fits


def test_an_area_does_not_skip_a_level(world):
    with pytest.raises(ValidationError) as error:
        services.create_area(
            actor=world.users["county"],
            parent=world.areas["350502000000"],
            code="350502009001",
            name="跳级社区",
            level=Level.COMMUNITY,
        )
    assert "level" in error.value.message_dict


def test_community_workers_do_not_appoint_peers_but_supervisors_appoint_them(world):
    community = world.areas["350502001001"]
    worker = world.workers["350502001001001"]
    assert RoleKind.COMMUNITY_WORKER not in grantable_kinds(world.users["community"], community)
    with pytest.raises(PermissionDenied):
        services.grant_role(
            actor=world.users["community"],
            worker=worker,
            area=community,
            kind=RoleKind.COMMUNITY_WORKER,
        )
    role = services.grant_role(
        actor=world.users["township"], worker=worker, area=community, kind=RoleKind.COMMUNITY_WORKER
    )
    assert role.pk


def test_a_township_supervisor_appoints_no_supervisor_of_its_own_township(world):
    township = world.areas["350502001000"]
    assert RoleKind.SUPERVISOR not in grantable_kinds(world.users["township"], township)
    assert RoleKind.SUPERVISOR in grantable_kinds(world.users["county"], township)


@pytest.mark.parametrize(
    ("username", "kinds"),
    [
        (
            "community",
            {"grid_worker", "building_head", "group_leader", "checkpoint_staff", "volunteer"},
        ),
        ("grid", set()),
        ("medical", set()),
    ],
)
def test_what_each_role_may_grant_on_a_grid(world, username, kinds):
    assert grantable_kinds(world.users[username], world.areas["350502001001001"]) == kinds


def test_nobody_changes_their_own_roles(world):
    me = world.users["community"]
    my_worker = every(Worker).get(user=me)
    with pytest.raises(PermissionDenied):
        services.grant_role(
            actor=me,
            worker=my_worker,
            area=world.areas["350502001001001"],
            kind=RoleKind.GRID_WORKER,
        )
    with pytest.raises(PermissionDenied):
        services.revoke_role(actor=me, role=every(Role).get(worker=my_worker))


def test_a_community_worker_cannot_deactivate_a_supervisor_registered_in_the_community(world):
    supervisor = every(Worker).get(user=world.users["county"])
    supervisor.area = world.areas["350502001001"]
    supervisor.save()
    with pytest.raises(PermissionDenied):
        services.update_worker(
            actor=world.users["community"],
            worker=supervisor,
            name=supervisor.name,
            affiliation=supervisor.affiliation,
            is_active=False,
        )


def test_a_role_lies_within_the_area_the_worker_serves_in(world):
    worker = world.workers["350502001001001"]  # serves in 新华社区
    with pytest.raises(ValidationError):
        services.grant_role(
            actor=world.users["county"],
            worker=worker,
            area=world.areas["350502002001001"],
            kind=RoleKind.GRID_WORKER,
        )


def test_a_building_moved_to_another_grid_takes_its_people_along(world):
    building = world.buildings["350502001001001"]
    target = world.areas["350502001001002"]
    services.save_building(
        actor=world.users["community"],
        building=building,
        grid=target,
        name=building.name,
        kind=building.kind,
    )
    resident = every(Resident).get(pk=world.residents["350502001001001"].pk)
    assert resident.area_path == target.path
    assert (
        Resident.objects.visible_to(world.users["grid2"], "people.view_resident")
        .filter(pk=resident.pk)
        .exists()
    )
    assert (
        not Resident.objects.visible_to(world.users["grid"], "people.view_resident")
        .filter(pk=resident.pk)
        .exists()
    )


def test_a_responsible_worker_comes_from_the_actors_areas(world):
    outsider = world.workers["350502002001001"]
    with pytest.raises(ValidationError):
        services.save_building(
            actor=world.users["grid"],
            grid=world.areas["350502001001001"],
            name="10号楼",
            responsible_worker=outsider,
        )


def test_every_role_is_documented():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "roles.md").read_text()
    assert all(f"`{kind.value}`" in text for kind in RoleKind)


def test_a_peer_s_roles_are_neither_granted_nor_revoked(world):
    community = world.areas["350502001001"]
    peer = services.add_worker(
        actor=world.users["township"],
        area=community,
        name="另一社工",
        affiliation=Worker.Affiliation.COMMUNITY,
    )
    services.grant_role(
        actor=world.users["township"],
        worker=peer,
        area=community,
        kind=RoleKind.COMMUNITY_WORKER,
    )
    grid_role = services.grant_role(
        actor=world.users["township"],
        worker=peer,
        area=world.areas["350502001001001"],
        kind=RoleKind.GRID_WORKER,
    )
    with pytest.raises(PermissionDenied):
        services.revoke_role(actor=world.users["community"], role=grid_role)
    with pytest.raises(PermissionDenied):
        services.grant_role(
            actor=world.users["community"],
            worker=peer,
            area=world.areas["350502001001002"],
            kind=RoleKind.VOLUNTEER,
        )


def test_codes_in_other_digits_are_refused(world):
    with pytest.raises(ValidationError):
        services.create_area(
            actor=world.users["community"],
            parent=world.areas["350502001001"],
            code="350502001001\u0661\u0662\u0663",  # Arabic-Indic digits
            name="怪网格",
            level=Level.GRID,
        )


def test_a_code_typed_in_full_width_digits_is_accepted(world):
    grid = services.create_area(
        actor=world.users["community"],
        parent=world.areas["350502001001"],
        code="３５０５０２００１００１００３",
        name="全角网格",
        level=Level.GRID,
    )
    assert grid.code == "350502001001003"


def test_a_role_outside_the_actors_subtree_still_protects_the_worker(world):
    """A community worker may not change a worker who is also a supervisor elsewhere, though
    that role lies outside what the community worker can see."""
    worker = world.workers["350502001001001"]
    every(Role).create(worker=worker, area=world.areas["350502002000"], kind=RoleKind.SUPERVISOR)
    with pytest.raises(PermissionDenied):
        services.update_worker(
            actor=world.users["community"],
            worker=worker,
            name="改名",
            affiliation=worker.affiliation,
            is_active=True,
        )
    with pytest.raises(PermissionDenied):
        services.grant_role(
            actor=world.users["community"],
            worker=worker,
            area=world.areas["350502001001002"],
            kind=RoleKind.VOLUNTEER,
        )
