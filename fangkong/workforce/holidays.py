"""Which days are holidays for the duty roster: the national holidays (法定节假日 and the
days off around them, not plain weekends) as the maintained `chinese_calendar` package
knows them, and the days a county (or any area above the roster's) keeps in `DutyHoliday`
— for local holidays and for the years the package does not know yet."""

import datetime

import chinese_calendar

from fangkong.scope import system_scope
from fangkong.workforce.models import DutyHoliday

CHINESE = {h.value: h.chinese for h in chinese_calendar.Holiday}


def national(day):
    """The national holiday's Chinese name for `day` (国庆节), or None."""
    try:
        is_holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:  # a year the package has no data for: the county's table
        return None
    if not (is_holiday and name):
        return None
    return CHINESE.get(name, name)


def ancestor_paths(path):
    codes = path.strip("/").split("/")
    return ["/" + "/".join(codes[: i + 1]) + "/" for i in range(len(codes))]


def holidays(paths, first, last):
    """{area path: {day: name}} of the holidays from `first` to `last` for each area path."""
    wanted = {a for path in paths for a in ancestor_paths(path)}
    # Holidays are public facts kept by the county: whoever checks a roster reads them.
    with system_scope():
        kept = list(
            DutyHoliday.objects.filter(
                area_path__in=wanted, day__gte=first, day__lte=last
            ).values_list("area_path", "day", "name")
        )
    common = {}
    day = first
    while day <= last:
        if name := national(day):
            common[day] = name
        day += datetime.timedelta(days=1)
    result = {}
    for path in paths:
        mine = dict(common)
        ancestors = set(ancestor_paths(path))
        mine.update({day: name for area_path, day, name in kept if area_path in ancestors})
        result[path] = mine
    return result
