"""The scope mechanism itself: subtree × permission, and no way to query around it by accident."""

import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404

from fangkong.areas.models import Area, Building, Level, Role, RoleKind, Worker
from fangkong.people.models import Household, Resident
from fangkong.permissions import kinds_granting, permissions_of
from fangkong.scope import ScopeError, holds, scope_paths, system_scope
from fangkong.web import scoped_or_404

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    """A community with two grids, a building and a household in each."""
    province = Area.objects.create(code="350000000000", name="福建省", level=Level.PROVINCE)
    city = Area.objects.create(
        code="350500000000", name="泉州市", level=Level.CITY, parent=province
    )
    county = Area.objects.create(
        code="350502000000", name="鲤城区", level=Level.COUNTY, parent=city
    )
    township = Area.objects.create(
        code="350502001000", name="海滨街道", level=Level.TOWNSHIP, parent=county
    )
    community = Area.objects.create(
        code="350502001001", name="新华社区", level=Level.COMMUNITY, parent=township
    )
    grids = [
        Area.objects.create(
            code=f"350502001001{n:03d}", name=f"第{n}网格", level=Level.GRID, parent=community
        )
        for n in (1, 2)
    ]
    households = []
    for grid in grids:
        building = Building.objects.create(area=grid, name=f"{grid.name}楼")
        households.append(
            Household.objects.create(area=grid, building=building, number=f"{grid.code}-1")
        )
    return community, grids, households


def worker_with(roles, name="两岗"):
    """A user whose worker holds `roles`: [(kind, area)]."""
    user = get_user_model().objects.create_user(name, password="x")
    worker = Worker.objects.create(user=user, name=name, area=roles[0][1], affiliation="community")
    for kind, area in roles:
        Role.objects.create(worker=worker, area=area, kind=kind)
    return get_user_model().objects.get(pk=user.pk)


def test_a_query_without_a_scope_raises_however_it_is_made(tree):
    _community, grids, households = tree
    with pytest.raises(ScopeError):
        list(Household.objects.all())
    with pytest.raises(ScopeError):
        Household.objects.filter(number="x").exists()
    with pytest.raises(ScopeError):
        Household.objects.count()
    with pytest.raises(ScopeError):
        get_object_or_404(Household, pk=households[0].pk)
    building = households[0].building  # a forward relation reads the record it names
    with pytest.raises(ScopeError):
        list(building.households.all())
    with pytest.raises(ScopeError):
        Household.objects.filter(pk=households[0].pk).update(number="改")
    with pytest.raises(ScopeError):
        Household.objects.filter(pk=households[0].pk).delete()
    with pytest.raises(ScopeError):
        list(Resident.objects.none().union(Resident.objects.all()))
    # A scoped outer query does not launder an unscoped subquery.
    inner = Household.objects.filter(area=grids[1])
    grid_worker = worker_with([(RoleKind.GRID_WORKER, grids[0])])
    with pytest.raises(ScopeError):
        list(
            Resident.objects.visible_to(grid_worker, "people.view_resident").filter(
                household__in=inner
            )
        )
    field = forms.ModelChoiceField(queryset=Household.objects.all())
    with pytest.raises(ScopeError):
        field.clean(households[0].pk)


def test_a_prefetch_of_a_related_manager_raises_without_a_scoped_queryset(tree):
    _community, _grids, _households = tree
    with system_scope():
        buildings = Building.objects.prefetch_related("households")
    with pytest.raises(ScopeError):
        list(buildings)


def test_the_system_scope_opens_everything_and_a_queryset_built_in_it_stays_open(tree):
    with system_scope():
        households = Household.objects.order_by("number")
        assert Household.objects.count() == 2
    assert [h.number for h in households] == ["350502001001001-1", "350502001001002-1"]
    with pytest.raises(ScopeError):
        Household.objects.count()


def test_the_scope_is_the_roles_that_grant_the_permission_not_every_role(tree):
    community, grids, households = tree
    user = worker_with([(RoleKind.VOLUNTEER, community), (RoleKind.GRID_WORKER, grids[0])])
    assert scope_paths(user, "areas.view_building") == (community.path,)
    assert scope_paths(user, "people.view_household") == (grids[0].path,)
    visible = Household.objects.visible_to(user, "people.view_household")
    assert list(visible) == [households[0]]
    assert holds(user, "people.view_household", households[0].area_path)
    assert not holds(user, "people.view_household", households[1].area_path)
    assert user.has_perm("people.view_household", households[0])
    assert not user.has_perm("people.view_household", households[1])
    assert user.has_perm("areas.view_building", households[1].building)


def test_a_record_in_the_subtree_without_the_permission_is_a_404_like_one_outside(tree):
    community, _grids, households = tree
    volunteer = worker_with([(RoleKind.VOLUNTEER, community)], name="志愿者")
    for household in households:
        with pytest.raises(Http404):
            scoped_or_404(Household, volunteer, pk=household.pk)
    with pytest.raises(Http404):
        scoped_or_404(Household, volunteer, pk=999999)
    assert scoped_or_404(Building, volunteer, pk=households[1].building_id)


def test_related_managers_keep_their_relation_inside_the_scope(tree):
    community, grids, households = tree
    user = worker_with([(RoleKind.COMMUNITY_WORKER, community)], name="社区")
    building = Building.objects.visible_to(user, "areas.view_building").get(area=grids[1])
    assert list(building.households.visible_to(user, "people.view_household")) == [households[1]]


def test_a_permission_no_app_granted_is_an_error_not_an_empty_answer(tree):
    community, _grids, _households = tree
    user = worker_with([(RoleKind.COMMUNITY_WORKER, community)], name="社区")
    with pytest.raises(LookupError):
        Household.objects.visible_to(user, "people.view_houshold")
    assert not user.has_perm("people.view_houshold")


def test_uniqueness_is_checked_across_the_country_without_a_scope(tree):
    _community, grids, _households = tree
    twin = Building(area=grids[0], name=f"{grids[0].name}楼")
    with pytest.raises(ValidationError):
        twin.full_clean()


def test_every_permission_is_granted_by_an_app_and_volunteers_read_no_person():
    # The gate's own lookup (checkpoints) shows a checkpoint's staff a name and a masked
    # number; nothing else they hold reads the registry, monitoring or verification.
    registry = ("people.", "monitoring.", "verification.", "reports.")
    for perm in permissions_of(RoleKind.VOLUNTEER) | permissions_of(RoleKind.CHECKPOINT_STAFF):
        assert not perm.startswith(registry), perm
    assert RoleKind.VOLUNTEER not in kinds_granting("people.view_resident")


def test_has_perm_without_a_record_asks_whether_any_role_grants_it(tree):
    community, _grids, _households = tree
    volunteer = worker_with([(RoleKind.VOLUNTEER, community)], name="志愿者")
    assert volunteer.has_perm("areas.view_building")
    assert not volunteer.has_perm("people.view_resident")
