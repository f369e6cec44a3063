"""Valid ID numbers and quick registrations for the people tests."""

import datetime

from stdnum.cn import ric

from fangkong.people import services


def id_number(born, serial="123", county="350502"):
    """A valid ID number for someone born on `born` (odd serial: male)."""
    body = f"{county}{born:%Y%m%d}{serial}"
    return body + ric.calc_check_digit(body + "0")


def years_before_today(years, days=0):
    today = datetime.date.today()
    return today.replace(year=today.year - years) - datetime.timedelta(days=days)


def register(world, grid_code, name, *, born=None, serial="123", phone="", household=None, **extra):
    household = household or world.households[grid_code]
    return services.register_resident(
        actor=world.users["sysadmin"],
        household=household,
        name=name,
        id_number=id_number(born, serial) if born else "",
        phone=phone,
        **extra,
    )
