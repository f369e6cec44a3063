"""When a worker's next dose is due (docs/training.md).

A dose of a vaccine numbered n is followed by the next one after the days of the county's
`DoseInterval` for (vaccine, n), else of `DEFAULT_INTERVALS`; none (or 0 days) means no
further dose is due. The defaults follow the primary courses of the vaccines in use
(inactivated: 2 doses 3 weeks apart; recombinant protein: 3 doses a month apart; adenovirus
vector: 1 dose; mRNA: 2 doses 4 weeks apart) and a booster six months after the course.
"""

import datetime

from fangkong.paths import county_path
from fangkong.scope import system_scope
from fangkong.vaccination.models import DoseInterval, Vaccine

PRIMARY_DOSES = {
    Vaccine.INACTIVATED: 2,
    Vaccine.RECOMBINANT: 3,
    Vaccine.VECTOR: 1,
    Vaccine.MRNA: 2,
}
BOOSTER_DAYS = 180
MOST_DOSES = 6
LONGEST_INTERVAL = 3 * 366

DEFAULT_INTERVALS = {
    (Vaccine.INACTIVATED, 1): 21,
    (Vaccine.RECOMBINANT, 1): 30,
    (Vaccine.RECOMBINANT, 2): 30,
    (Vaccine.MRNA, 1): 28,
    **{(vaccine, doses): BOOSTER_DAYS for vaccine, doses in PRIMARY_DOSES.items()},
}


def completes_course(vaccine, dose_number):
    return dose_number >= PRIMARY_DOSES[vaccine]


def intervals_for(path):
    """{(vaccine, after dose): days} of the county of the area at `path`: its own rules over
    the defaults (0 days: no next dose)."""
    intervals = {(str(v), n): days for (v, n), days in DEFAULT_INTERVALS.items()}
    county = county_path(path)
    if county is None:
        return intervals
    with system_scope():  # the county's rule applies to whoever records in it
        rows = DoseInterval.objects.filter(area_path=county).values_list(
            "vaccine", "after_dose", "days"
        )
        for vaccine, after, days in rows:
            intervals[(vaccine, after)] = days
    return intervals


def days_after(days):
    return datetime.timedelta(days=days)


def next_due(dose, intervals):
    """The day the dose after `dose` is due, or None when no further dose is."""
    days = intervals.get((dose.vaccine, dose.dose_number))
    return dose.given_on + days_after(days) if days else None
