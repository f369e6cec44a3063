"""The demo's services for residents: the county's two fever clinics; providers (the demo
volunteer, a pharmacy and a supermarket of the community of the demo login `community`, the
county's transport company); and a few requests of that community's households, made and
followed through the services as the workers and residents would (one new, one dispatched
to the pharmacy, one delivered by the volunteer and confirmed with five stars), and one
self-report of fever waiting for the grid worker."""

import uuid

from django.contrib.auth import get_user_model

from fangkong.areas.models import Level, Role, RoleKind
from fangkong.care import providers, self_reports, services
from fangkong.care.models import Provider
from fangkong.people.models import Household


def _role(username, kind):
    return (
        Role.objects.filter(kind=kind, worker__user__username=username)
        .select_related("area", "worker")
        .first()
    )


def build(rng, stdout=None):
    county_role = _role("county", RoleKind.SUPERVISOR)
    community_role = _role("community", RoleKind.COMMUNITY_WORKER)
    volunteer_role = _role("volunteer", RoleKind.VOLUNTEER)
    if county_role is None or community_role is None:
        return None
    users = get_user_model().objects.in_bulk(["county", "community", "grid"], field_name="username")
    county, community = county_role.area, community_role.area
    if county.level != Level.COUNTY:
        return None
    for name, address, phone in [
        ("县人民医院发热门诊", "人民路 1 号（急诊楼东侧）", "0595-22000120"),
        ("县中医院发热门诊", "健康路 18 号", "0595-22000121"),
    ]:
        providers.add_clinic(
            actor=users["county"],
            area=county,
            name=name,
            address=address,
            phone=phone,
            hours="24 小时",
        )
    made = {}
    if volunteer_role is not None:
        made["volunteer"] = providers.add_provider(
            actor=users["community"],
            area=community,
            name=f"志愿者 {volunteer_role.worker.name}",
            kind=Provider.Kind.VOLUNTEER,
            worker=volunteer_role.worker.pk,
            service_types=["supplies", "medicine_delivery", "care"],
            service_areas=[community.pk],
        )
    made["pharmacy"] = providers.add_provider(
        actor=users["community"],
        area=community,
        name="仁心大药房",
        kind=Provider.Kind.PHARMACY,
        phone="0595-22345678",
        service_types=["medicine_delivery"],
        service_areas=[community.pk],
    )
    providers.add_provider(
        actor=users["community"],
        area=community,
        name="惠民超市",
        kind=Provider.Kind.SHOP,
        phone="0595-22345679",
        service_types=["supplies"],
        service_areas=[community.pk],
    )
    providers.add_provider(
        actor=users["county"],
        area=county,
        name="县应急运输车队",
        kind=Provider.Kind.TRANSPORT,
        phone="0595-22000110",
        service_types=["emergency_vehicle"],
        service_areas=[county.pk],
    )
    households = list(Household.objects.within(community).order_by("id")[:40])
    if len(households) < 4:
        return None
    picked = rng.sample(households, 4)
    # The phone request is taken by the grid worker, who may only ask for a household of
    # their own grid: the community's households sampled above may lie in another grid.
    taker = users["community"]
    grid_role = _role("grid", RoleKind.GRID_WORKER)
    if grid_role is not None and "grid" in users:
        own = list(Household.objects.within(grid_role.area).order_by("id")[:40])
        own = [household for household in own if household not in picked]
        if own:
            picked[1], taker = rng.choice(own), users["grid"]
    # Client UUIDs from the seeded generator: the same seed gives the same data.
    new_uuid = lambda: uuid.UUID(int=rng.getrandbits(128), version=4)  # noqa: E731
    ask = lambda household, kind, details, actor=None, channel="online": services.request_service(  # noqa: E731
        actor=actor,
        household=household,
        service_type=kind,
        details=details,
        channel=channel,
        client_uuid=new_uuid(),
    )
    ask(picked[0], "supplies", "米 10 斤、食用油 1 桶、青菜若干")
    sent = ask(
        picked[1],
        "medicine_delivery",
        "硝苯地平缓释片 2 盒（高血压长期用药）",
        taker,
        "phone",
    )
    services.dispatch(actor=users["community"], service_request=sent, provider=made["pharmacy"])
    if "volunteer" in made:
        done = ask(picked[2], "medicine_delivery", "二甲双胍 1 盒")
        services.dispatch(
            actor=users["community"], service_request=done, provider=made["volunteer"]
        )
        services.complete(
            actor=users["community"], service_request=done, delivered="已送到家门口，老人已签收"
        )
        services.confirm(actor=None, service_request=done, rating=5, comment="很及时，谢谢")
    self_reports.report_symptoms(
        actor=None,
        household=picked[3],
        name="王女士",
        client_uuid=new_uuid(),
        temperature="38.2",
        note="昨晚开始发热",
    )
    if stdout:
        stdout.write("care: 2 fever clinics, 4 providers, 3 service requests, 1 self-report\n")
    return made
