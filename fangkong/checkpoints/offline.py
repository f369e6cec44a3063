"""The gate's offline bundle (离线数据包): what a checkpoint's page keeps in the browser so the
staff can still find people and check passes when the network drops.

It holds the active residents of the checkpoint's community (the same people the online
lookup finds, with no more than the lookup shows: a name, pinyin initials, the last 4 digits
and the masked ID number, a household label, and whether they are under monitoring — the
gate alert's "going out while monitored"), and the passes of the community valid today or
later, revoked ones marked so. A pass is named by the SHA-256 of its signed code, never the
code itself: the page recognises a genuine pass offline without holding anything that could
print one. Read in the system scope, like `selectors.lookup`: the caller has been checked to
record passages at this checkpoint.
"""

import datetime
import hashlib
import json

from django.db.models import Q
from django.utils import timezone

from fangkong.checkpoints import selectors
from fangkong.checkpoints.passes import Pass, PassExit
from fangkong.checkpoints.passes_services import code_of
from fangkong.monitoring.models import MonitoringPlan
from fangkong.monitoring.selectors import open_on
from fangkong.people.models import Resident
from fangkong.scope import system_scope

# How long the page trusts a bundle before it must be refreshed (it refreshes whenever it is
# online anyway): past this, offline lookups still work but the page says the list is old.
FRESH_FOR = datetime.timedelta(hours=24)
# The longest quota period a pass may have (`issue_household_passes`): exits older than this
# never count against a quota.
QUOTA_DAYS = 30


def residents_of(checkpoint, today):
    community = selectors.community_of(checkpoint)
    with system_scope():
        residents = list(
            Resident.objects.within(community)
            .filter(status=Resident.Status.ACTIVE)
            .select_related("household__building")
            .only(
                "id",
                "name",
                "name_initials",
                "id_number",
                "id_number_tail",
                "household__id",
                "household__number",
                "household__building__name",
            )
            .order_by("name", "pk")
        )
        plans = MonitoringPlan.objects.filter(resident__in=[r.pk for r in residents])
        monitored = set(open_on(plans, today).values_list("resident", flat=True))
    return [
        {
            "id": resident.pk,
            "name": resident.name,
            "initials": resident.name_initials,
            "id_last4": resident.id_number_tail,
            "id_number_masked": resident.id_number_masked,
            "household": resident.household_id,
            "household_label": selectors.household_label(resident.household),
            "monitored": resident.pk in monitored,
        }
        for resident in residents
    ]


def passes_of(checkpoint, today, now):
    community = selectors.community_of(checkpoint)
    with system_scope():
        passes = Pass.objects.within(community).filter(valid_until__gte=today)
        if checkpoint.building_id:
            # A compound's gate takes its own households' passes and the work passes.
            passes = passes.filter(
                Q(household__isnull=True) | Q(household__building=checkpoint.building_id)
            )
        passes = list(passes.order_by("pk"))
        exits = {}
        rows = PassExit.objects.filter(
            pass_record__in=[p.pk for p in passes if p.has_quota],
            out_at__gt=now - datetime.timedelta(days=QUOTA_DAYS),
        ).values_list("pass_record__household", "out_at")
        for household, out_at in rows:
            exits.setdefault(household, []).append(out_at.isoformat())
    return [
        {
            "id": pass_.pk,
            "kind": pass_.kind,
            "code_sha256": hashlib.sha256(code_of(pass_).encode()).hexdigest(),
            "household": pass_.household_id,
            "resident": pass_.resident_id,
            "valid_from": pass_.valid_from.isoformat(),
            "valid_until": pass_.valid_until.isoformat(),
            "exits": pass_.exits if pass_.has_quota else None,
            "per_days": pass_.per_days if pass_.has_quota else None,
            "return_minutes": pass_.return_minutes if pass_.has_quota else None,
            "revoked": pass_.revoked_at is not None,
            "exits_made": sorted(exits.get(pass_.household_id, [])) if pass_.has_quota else [],
        }
        for pass_ in passes
    ]


def bundle(checkpoint):
    """The offline bundle of a checkpoint, with its `version`: a digest of its content, so an
    unchanged bundle is answered 304 to the page that holds it."""
    now = timezone.now()
    today = timezone.localdate(now)
    content = {
        "checkpoint": checkpoint.pk,
        "day": today.isoformat(),
        "takes_vehicles": checkpoint.takes_vehicles,
        "residents": residents_of(checkpoint, today),
        "passes": passes_of(checkpoint, today, now),
    }
    digest = hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()[:32]
    return {
        "version": digest,
        "made_at": now.isoformat(),
        "fresh_until": (now + FRESH_FOR).isoformat(),
        **content,
    }
