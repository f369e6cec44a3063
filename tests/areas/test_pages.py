from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fangkong.areas.models import Area, Building, Role, RoleKind, Worker
from fangkong.areas.registry import MENU_GROUPS, MenuLink, registered
from tests.world import every


def test_home_links_the_users_area(world, as_user):
    response = as_user(world.users["grid"]).get(reverse("home"))
    assert reverse("area_detail", args=["350502001001001"]) in response.content.decode()


def test_the_township_page_lists_its_communities_with_counts(world, as_user):
    response = as_user(world.users["township"]).get(reverse("area_detail", args=["350502001000"]))
    children = response.context["children"]
    assert [c.name for c in children] == ["新华社区"]
    assert children[0].counts == {
        "grids": 2,
        "buildings": 2,
        "households": 2,
        "residents": 2,
        # community, medical, checkpoint; grid, building_head, group_leader, volunteer,
        # volunteer_grid, 甲格网格员 and 跨区志愿者 in the first grid; grid2 and 乙格网格员 in
        # the second
        "workers": 12,
    }
    text = response.content.decode()
    assert "海滨街道" in text and "聚宝社区" not in text


def test_workers_count_in_the_grid_where_they_hold_a_role(world, as_user):
    response = as_user(world.users["community"]).get(reverse("area_detail", args=["350502001001"]))
    assert [c.counts["workers"] for c in response.context["children"]] == [7, 2]


def test_the_county_page_takes_the_same_queries_however_many_children(world, as_user):
    client = as_user(world.users["county"])
    url = reverse("area_detail", args=["350502000000"])

    def queries():
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        return len(captured)

    before = queries()
    county = world.areas["350502000000"]
    for number in range(3, 9):
        township = every(Area).create(
            code=f"350502{number:03d}000", name=f"街道{number}", level="township", parent=county
        )
        every(Area).create(
            code=f"350502{number:03d}001", name=f"社区{number}", level="community", parent=township
        )
    # 18: the area page's own, the navigation's and the unread notifications' badge.
    assert queries() == before <= 18


def test_a_grid_page_lists_its_buildings(world, as_user):
    response = as_user(world.users["grid"]).get(reverse("area_detail", args=["350502001001001"]))
    text = response.content.decode()
    assert "甲格楼" in text and "乙格" not in text


def test_breadcrumbs_show_the_area_path(world, as_user):
    response = as_user(world.users["grid"]).get(reverse("area_detail", args=["350502001001001"]))
    assert [a.name for a in response.context["breadcrumbs"]] == [
        "福建省",
        "泉州市",
        "鲤城区",
        "海滨街道",
        "新华社区",
        "新华第一网格",
    ]


def test_a_community_worker_adds_a_grid_and_a_building(world, as_user):
    client = as_user(world.users["community"])
    response = client.post(
        reverse("grid_create", args=["350502001001"]),
        {"code": "350502001001003", "name": "新华第三网格"},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("building_create", args=["350502001001003"]),
        {"name": "1号楼", "kind": "building", "address": "中山路1号"},
    )
    building = every(Building).get(name="1号楼")
    assert response.url == reverse("building_detail", args=[building.pk])
    assert building.area.code == "350502001001003"


def test_a_bad_grid_code_is_shown_on_the_form_and_saves_nothing(world, as_user):
    client = as_user(world.users["community"])
    before = every(Area).count()
    response = client.post(
        reverse("grid_create", args=["350502001001"]), {"code": "123", "name": "坏网格"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert every(Area).count() == before


def test_a_grid_worker_may_not_add_a_grid(world, as_user):
    response = as_user(world.users["grid"]).get(reverse("grid_create", args=["350502001001"]))
    assert response.status_code == 404  # the community is outside a grid worker's scope


def test_a_volunteer_reads_a_grid_but_may_not_add_buildings(world, as_user):
    client = as_user(world.users["volunteer"])
    assert client.get(reverse("area_detail", args=["350502001001001"])).status_code == 200
    response = client.get(reverse("building_create", args=["350502001001001"]))
    assert response.status_code == 403


def test_a_community_worker_adds_a_worker_with_a_login_and_a_role(world, as_user):
    client = as_user(world.users["community"])
    response = client.post(
        reverse("worker_create"),
        {
            "name": "黄志明",
            "phone": "13912345678",
            "affiliation": "dispatched",
            "area": world.areas["350502001001"].pk,
            "username": "huangzm",
            "password": "Xinhua-2026-grid",
        },
    )
    worker = every(Worker).get(name="黄志明")
    assert response.url == reverse("worker_detail", args=[worker.pk])
    response = client.post(
        reverse("worker_detail", args=[worker.pk]),
        {"area": world.areas["350502001001002"].pk, "kind": RoleKind.GRID_WORKER},
    )
    assert response.status_code == 302
    assert every(Role).filter(worker=worker, kind=RoleKind.GRID_WORKER).exists()


def test_the_role_form_offers_no_area_above_the_community(world, as_user):
    client = as_user(world.users["community"])
    worker = world.workers["350502001001001"]
    response = client.post(
        reverse("worker_detail", args=[worker.pk]),
        {"area": world.areas["350502001000"].pk, "kind": RoleKind.SUPERVISOR},
    )
    assert response.status_code == 200
    assert response.context["role_form"].errors["area"]


def test_the_worker_list_is_scoped(world, as_user):
    text = as_user(world.users["community"]).get(reverse("worker_list")).content.decode()
    assert "甲格网格员" in text and "丙格网格员" not in text


def test_phone_numbers_of_workers_are_masked(world, as_user):
    worker = world.workers["350502001001001"]
    worker.phone = "13812345678"
    worker.save()
    text = as_user(world.users["community"]).get(reverse("worker_detail", args=[worker.pk]))
    assert "138****5678" in text.content.decode()
    assert "13812345678" not in text.content.decode()


def test_password_change(world, as_user):
    user = world.users["grid"]
    client = as_user(user)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "pw-for-tests-1",
            "new_password1": "Another-pass-2026",
            "new_password2": "Another-pass-2026",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Another-pass-2026")


def test_login_locks_out_after_repeated_failures(world, client, settings):
    url = reverse("login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": "grid", "password": "wrong"})
    response = client.post(url, {"username": "grid", "password": "pw-for-tests-1"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_login_with_the_right_password(world, client):
    response = client.post(reverse("login"), {"username": "grid", "password": "pw-for-tests-1"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(world.users["grid"].pk)


def test_the_worker_list_filters_by_name_and_answers_htmx_with_rows_only(world, as_user):
    client = as_user(world.users["community"])
    response = client.get(reverse("worker_list"), {"name": "甲格"}, HTTP_HX_REQUEST="true")
    text = response.content.decode()
    assert "甲格网格员" in text and "乙格网格员" not in text
    assert "<html" not in text
    full = client.get(reverse("worker_list"), {"name": "甲格"}).content.decode()
    assert "<html" in full and 'hx-get="/workers/"' in full


def test_the_worker_list_is_paginated(world, as_user):
    community = world.areas["350502001001"]
    every(Worker).bulk_create(
        Worker(
            area=community, area_path=community.path, name=f"志愿者{i:03d}", affiliation="volunteer"
        )
        for i in range(60)
    )
    client = as_user(world.users["community"])
    first = client.get(reverse("worker_list"))
    assert len(first.context["page"].object_list) == 50
    assert "page=2" in first.content.decode()
    assert len(client.get(reverse("worker_list"), {"page": 2}).context["page"].object_list) > 0


def test_a_new_worker_changes_the_password_someone_else_chose(world, client):
    from fangkong.areas import services

    services.add_worker(
        actor=world.users["community"],
        area=world.areas["350502001001"],
        name="新社工",
        affiliation="community",
        username="xinsg",
        password="Chosen-by-boss-1",
    )
    assert client.post(reverse("login"), {"username": "xinsg", "password": "Chosen-by-boss-1"})
    assert client.get(reverse("home")).url == reverse("password_change")
    client.post(
        reverse("password_change"),
        {
            "old_password": "Chosen-by-boss-1",
            "new_password1": "My-own-secret-22",
            "new_password2": "My-own-secret-22",
        },
    )
    assert client.get(reverse("home")).status_code == 200  # no role yet: the "ask for one" page


def test_a_community_role_without_the_right_gets_403_not_404(world, as_user):
    response = as_user(world.users["medical"]).get(reverse("grid_create", args=["350502001001"]))
    assert response.status_code == 403


def test_a_malformed_area_code_in_the_address_is_a_plain_404(world, as_user):
    client = as_user(world.users["grid"])
    assert client.get("/areas/%00/").status_code == 404
    assert client.get("/areas/35050200100100①/").status_code == 404
    for name in ("worker_list", "household_list", "resident_export", "monitoring_board"):
        assert client.get(reverse(name), {"within": "\x00"}).status_code == 400


def test_the_grid_form_suggests_the_next_free_code(world, as_user):
    response = as_user(world.users["community"]).get(reverse("grid_create", args=["350502001001"]))
    assert response.context["form"].initial["code"] == "350502001001003"


def test_a_grid_worker_lists_the_workers_of_their_grid(world, as_user):
    response = as_user(world.users["grid"]).get(reverse("worker_list"))
    assert response.status_code == 200
    text = response.content.decode()
    # They serve in the community but hold their roles on the grid.
    assert "甲格网格员" in text and "乙格网格员" not in text


def test_a_volunteer_gets_403_on_the_worker_list_and_404_on_a_worker(world, as_user):
    client = as_user(world.users["volunteer"])
    assert client.get(reverse("worker_list")).status_code == 403
    worker = world.workers["350502001001001"]
    assert client.get(reverse("worker_detail", args=[worker.pk])).status_code == 404
    assert client.post(reverse("worker_edit", args=[worker.pk])).status_code == 404


def test_areas_above_the_scope_are_names_not_links_in_breadcrumbs(world, as_user):
    text = as_user(world.users["grid"]).get(reverse("area_detail", args=["350502001001001"]))
    text = text.content.decode()
    assert "海滨街道" in text
    assert reverse("area_detail", args=["350502001000"]) not in text
    text = as_user(world.users["township"]).get(reverse("area_detail", args=["350502001001"]))
    assert reverse("area_detail", args=["350502001000"]) in text.content.decode()


def test_the_menu_offers_only_what_the_roles_can_use(world, as_user):
    text = as_user(world.users["volunteer"]).get(reverse("home"), follow=True).content.decode()
    for page in ("resident_list", "worker_list", "audit_event_list", "area_import"):
        assert f'href="{reverse(page)}"' not in text, page
    text = as_user(world.users["community"]).get(reverse("home"), follow=True).content.decode()
    for page in ("resident_list", "worker_list", "audit_event_list", "area_import"):
        assert f'href="{reverse(page)}"' in text, page


def test_every_menu_link_is_in_a_group_of_the_menu():
    strays = [link.url_name for link in registered(MenuLink) if link.group not in MENU_GROUPS]
    assert strays == []


def test_a_long_menu_is_grouped_and_a_short_one_is_a_list(world, as_user):
    text = as_user(world.users["township"]).get(reverse("home"), follow=True).content.decode()
    nav = text.split('id="nav"', 1)[1].split("</nav>", 1)[0]
    assert 3 <= nav.count("menu-group") <= len(MENU_GROUPS)
    assert "应急响应" in nav and f'href="{reverse("response_list")}"' in nav
    text = as_user(world.users["volunteer"]).get(reverse("home"), follow=True).content.decode()
    assert "menu-group" not in text.split('id="nav"', 1)[1].split("</nav>", 1)[0]
