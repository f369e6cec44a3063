"""What the tests of services for residents share: a volunteer of 新华社区 with a login, who
delivers medicine and supplies there as a provider."""

from fangkong.areas.models import Role, RoleKind, Worker
from fangkong.care.models import Provider
from tests.world import every

COMMUNITY = "350502001001"


def volunteer(world, name="志愿者小王"):
    user = (
        every(Worker)
        .model._meta.get_field("user")
        .related_model.objects.create_user(f"v-{name}", password="pw-for-tests-1")
    )
    worker = every(Worker).create(
        user=user, area=world.areas[COMMUNITY], name=name, affiliation=Worker.Affiliation.VOLUNTEER
    )
    every(Role).create(worker=worker, area=world.areas[COMMUNITY], kind=RoleKind.VOLUNTEER)
    provider = every(Provider).create(
        area=world.areas[COMMUNITY],
        name=name,
        kind=Provider.Kind.VOLUNTEER,
        worker=worker,
        service_types=["medicine_delivery", "supplies"],
    )
    provider.service_areas.add(world.areas[COMMUNITY])
    return user, provider
