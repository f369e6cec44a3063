"""Reads of the people registry: search, key-group roll-ups, suggestions, lists."""

import re
from collections import defaultdict

from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone

from fangkong.areas.models import Area
from fangkong.areas.selectors import counts_by_child
from fangkong.people.models import DismissedSuggestion, KeyGroup, Resident
from fangkong.pii import lookup_digest, normalise
from fangkong.web import CappedPaginator

ID_NUMBER = re.compile(r"[0-9]{17}[0-9X]")
PHONE = re.compile(r"1[0-9]{10}|0[0-9]{9,11}")
TAIL = re.compile(r"[0-9]{3,5}[0-9X]")
LETTERS = re.compile(r"[A-Za-z]+")
# Residents whose last four characters match are decrypted to compare five or six; in a
# county a four-digit tail matches about one person in ten thousand.
TAIL_CANDIDATES = 5000
# The residents a name or initials search sorts on SQLite: what the list's pager counts.
PREFIX_CANDIDATES = CappedPaginator.cap + 1


def search_residents(residents, text, *, one_community=False):
    """Residents (an already scoped queryset) matching what a grid worker typed.

    An 18-character ID number or a whole phone number is found by its digest; the last 4 to 6
    characters of an ID number or the last 4 digits of a phone by the stored tail; Latin
    letters are pinyin initials (张三 → zs); anything else is the start of the name.

    `one_community`: the residents are those of one community at most (the gate's lookup),
    whose few thousand rows are read through the scope's index and tested: the name's own
    index would first walk every match of the county (12 ms for "dh" among 10⁶ on SQLite,
    2.9 ms this way).
    """
    words = " ".join(str(text or "").split())
    query = normalise(words)
    if not query:
        return residents
    if ID_NUMBER.fullmatch(query):
        # Excluding "" lets SQLite use the unique index, which leaves out residents without one.
        return residents.filter(id_number_hash=lookup_digest(query)).exclude(id_number_hash="")
    if PHONE.fullmatch(query):
        return residents.filter(phone_hash=lookup_digest(query))
    if TAIL.fullmatch(query):
        tail = query[-4:]
        if len(query) == 4:
            return residents.filter(Q(id_number_tail=tail) | Q(phone_tail=tail))
        candidates = (
            residents.select_related(None).filter(id_number_tail=tail).only("id", "id_number")
        )
        matches = [r.pk for r in candidates[:TAIL_CANDIDATES] if r.id_number.endswith(query)]
        return residents.filter(pk__in=matches)
    if LETTERS.fullmatch(query):
        if one_community:
            return residents.filter(name_initials__startswith=query.lower())
        return prefix_matches(residents, name_initials__prefix=query.lower())
    if one_community:
        return residents.filter(name__startswith=words)
    return prefix_matches(residents, name__prefix=words)


def prefix_matches(residents, **prefix):
    """The residents whose name or initials start with the text typed.

    SQLite keeps no statistics on ranges: for a list in the scope's order it walks the
    scope's `resident_list` index and tests every resident until a page is full, 170 ms for
    a rare "wfb" in a county of 10⁶. So it is given the matches from the name's own index
    first, as many as the pager counts (PREFIX_CANDIDATES), then sorts those: under
    15 ms even for one letter. PostgreSQL's planner chooses well by itself."""
    matches = residents.filter(**prefix)
    if connection.vendor != "sqlite":
        return matches
    return residents.filter(pk__in=matches.order_by().values("pk")[:PREFIX_CANDIDATES])


VIEW_KEY_GROUPS = "people.view_keygroup"


def current_key_groups(user, perm=VIEW_KEY_GROUPS):
    """The current (not ended) key-group tags below the areas where `user` holds `perm`."""
    return KeyGroup.objects.visible_to(user, perm).filter(ended_on__isnull=True)


def key_group_counts(user, area):
    """The area and its children, each with `key_group_counts` {kind: n} of the current tags
    in its subtree that `user` may see, and the area's `key_group_total`. The area's counts
    are the sum of its children's, so every tag is read once; a grid, which has none, counts
    its own."""
    children = list(
        Area.objects.visible_to(user, "areas.view_area").filter(parent=area).order_by("code")
    )
    counts = counts_by_child(current_key_groups(user), children or [area], by="kind")
    for place in children or [area]:
        place.key_group_counts = {
            kind: counts.get((place.path, kind), 0) for kind in KeyGroup.Kind.values
        }
    if children:
        area.key_group_counts = {
            kind: sum(child.key_group_counts[kind] for child in children)
            for kind in KeyGroup.Kind.values
        }
    for place in (area, *children):
        place.key_group_total = sum(place.key_group_counts.values())
    return children


def with_current_key_groups(residents, *, user):
    """Each resident with `current_kinds`: the kinds of its current tags that `user` may see
    (two queries)."""
    residents = list(residents)
    kinds = defaultdict(list)
    for resident_id, kind in (
        current_key_groups(user)
        .filter(resident__in=[r.pk for r in residents])
        .values_list("resident_id", "kind")
    ):
        kinds[resident_id].append(KeyGroup.Kind(kind))
    for resident in residents:
        resident.current_kinds = kinds[resident.pk]
    return residents


def unplaced(residents):
    """Those of `residents` (a scoped queryset) living here without a household: registered
    from a survey sheet that gave no address, waiting for the grid worker to place them
    (待落户)."""
    return residents.filter(household__isnull=True, status=Resident.Status.ACTIVE)


def residents_unplaced(user, area):
    """The residents of `area`'s subtree waiting for a household that `user` may see."""
    return unplaced(Resident.objects.visible_to(user, "people.view_resident")).within(area)


def years_ago(years):
    today = timezone.localdate()
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # born on 29 February
        return today.replace(year=today.year - years, day=28)


def suggested_key_groups(residents, *, user):
    """[(resident, kind)] that the registry implies and nobody has confirmed or dismissed.

    `residents` is a queryset of whole households (a grid, a household) that `user` may see;
    the tags and dismissals are read in `user`'s scope of key groups. The rules:
    60 or older and alone in the household → lone elderly; under 16 with a member registered
    here but living elsewhere and no adult of 18–59 at home → left-behind child; 60 or older
    in such a household → left-behind elderly; living in the household as a tenant → tenant.
    """
    members, suggestions = defaultdict(list), []
    for resident in residents.filter(status=Resident.Status.ACTIVE).select_related("household"):
        members[resident.household_id].append(resident)
    # Who lives with a person waiting for a household is not known: only their own facts count.
    for resident in members.pop(None, []):
        if resident.relation_to_head == Resident.Relation.TENANT:
            suggestions.append((resident, KeyGroup.Kind.TENANT))
    elderly_born, adult_born, child_born = years_ago(60), years_ago(18), years_ago(16)
    working_age_born = years_ago(60)
    for household in members.values():
        at_home = [r for r in household if r.residence != Resident.Residence.REGISTERED_AWAY]
        someone_away = len(at_home) < len(household)
        adult_at_home = any(
            r.birth_date and working_age_born < r.birth_date <= adult_born for r in at_home
        )
        for resident in at_home:
            born = resident.birth_date
            elderly = born is not None and born <= elderly_born
            if elderly and len(at_home) == 1:
                suggestions.append((resident, KeyGroup.Kind.LONE_ELDERLY))
            if someone_away and not adult_at_home:
                if born is not None and born > child_born:
                    suggestions.append((resident, KeyGroup.Kind.LEFT_BEHIND_CHILD))
                elif elderly:
                    suggestions.append((resident, KeyGroup.Kind.LEFT_BEHIND_ELDERLY))
            if resident.relation_to_head == Resident.Relation.TENANT:
                suggestions.append((resident, KeyGroup.Kind.TENANT))
    if not suggestions:
        return []
    ids = {r.pk for r, _kind in suggestions}
    settled = set(
        current_key_groups(user).filter(resident__in=ids).values_list("resident_id", "kind")
    ) | set(
        DismissedSuggestion.objects.visible_to(user, VIEW_KEY_GROUPS)
        .filter(resident__in=ids)
        .values_list("resident_id", "kind")
    )
    return [(r, kind) for r, kind in suggestions if (r.pk, kind) not in settled]


def unassigned(households):
    """The households (of a scoped queryset) nobody is responsible for (包联): the household
    list's `?unassigned=true`, the area page's notice and the home page's count."""
    return households.filter(assignment__isnull=True)


def in_care_of(households, worker):
    """The households (of a scoped queryset) a worker is responsible for: the household
    list's `?worker=`, the worker page's fact and the home page's 我包联的住户."""
    return households.filter(assignment__worker=worker)


def households_with_counts(user, building):
    """The households of a building that `user` may see, with their active members counted."""
    return (
        building.households.visible_to(user, "people.view_household")
        .select_related("assignment__worker")
        .annotate(
            resident_count=Count("residents", filter=Q(residents__status=Resident.Status.ACTIVE))
        )
        .order_by("number")
    )
