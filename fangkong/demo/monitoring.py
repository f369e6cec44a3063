"""Health monitoring (健康监测) in the demo county: plans started over the last 60 days, their
checks and the alerts the abnormal ones raised, as the services would have left them.

About 5 % of the residents are under monitoring today (50,000 at 10⁶): plans start every day
of the last `DAYS`, each as long as its category's `default_days`, in categories drawn so
that about 20 % are checked twice a day; a resident has at most one plan. The responsible
worker is the one of the household's assignment (none where the household has none), as
`services.start_plan` picks it. Every past slot of a plan's days has a check except about
3 % (missed; a tenth of the people miss most of them, so some plans are escalated); today's
slots not yet due have a check for about a third of the plans (reported in the morning).
About 1 % of the checks are abnormal (a temperature at or above the category's `fever_at`,
or a symptom the category asks about): each raised an alert. Most alerts were dealt with
within three days, with a disposition; the others are still open and hold their plan open
(`held_open`), past its end if need be; a plan whose last alert was closed after its end
ran until that day (`services.dispose_alert`). About 2 % of the plans were stopped early,
with a reason, at a moment none of their alerts was open. Checks come from the worker (60 %,
recorded by the grid worker's login where there is one) or the person (self-report link).

Nobody is monitored in the last community of the first street (`quiet_community`): its
reports have nothing to say, so a zero report can be tried there.

It reads the residents, assignments and logins from the database, so it runs after the
people are written (`fangkong.demo.build`) and works on a county generated before.
"""

import datetime
import uuid
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from fangkong.areas.models import Area, Level, Role, RoleKind, Worker
from fangkong.monitoring.models import (
    Alert,
    HealthCheck,
    MonitoringCategory,
    MonitoringPlan,
)
from fangkong.people.models import HouseholdAssignment, Resident

DAYS = 60  # plans started over the last 60 days, today included
OPEN_SHARE = 0.05  # of the residents, under monitoring today
TWICE_A_DAY = 0.2  # of the plans, in categories checked twice a day
STOPPED = 0.02
CARELESS = 0.1  # of the people, who miss a fifth of their checks; the others about 1 %
MISSED_CARELESS, MISSED_OTHERS = 0.2, 0.011  # 3 % of the slots in all
ABNORMAL = 0.01
FEVER = 0.6  # of the abnormal checks; the others have symptoms only
SELF_REPORTED = 0.4
EARLY_TODAY = 0.35  # of today's slots not yet due, already reported
STALE_ALERT = 0.03  # of the alerts, still open after three days
CHUNK = 50_000  # residents read (and one transaction written) at a time

SOURCES = {
    "cold_chain": ["冷链食品从业人员定期监测（市场监管所名单）", "进口冷链食品核酸阳性关联人员"],
    "returnee": ["县指挥部推送：自外省返乡", "村（居）委会摸排：返乡人员", "本人主动报备返乡"],
    "from_risk_area": ["县指挥部推送：中高风险地区来（返）人员", "大数据协查推送：行程涉风险地区"],
    "inbound": ["入境人员闭环转运交接单", "市指挥部推送：入境人员居家健康监测"],
    "released_observation": ["解除集中医学观察人员（隔离点交接）", "解除居家医学观察人员"],
    "recovered": ["定点医院出院通知：治愈出院患者", "卫生院转介：出院后健康监测"],
}
STOP_REASONS = ["转集中隔离", "已离开本地（告知所到地）", "转入医院治疗", "县指挥部通知提前解除"]
DISPOSITIONS = [  # (disposition, weight, notes)
    (Alert.Disposition.REMEASURED_NORMAL, 55, ["", "复测36.6℃", "复测体温正常"]),
    (Alert.Disposition.REFERRED, 25, ["", "已送发热门诊", "卫生院医生上门"]),
    (Alert.Disposition.REPORTED_UP, 8, ["", "已报街道和卫生院"]),
    (Alert.Disposition.QUARANTINED, 5, ["", "转集中隔离点"]),
    (Alert.Disposition.OTHER, 7, ["居家观察，医生电话随访", "本人拒绝复测，已报社区"]),
]
TEMPERATURES = {tenths: str(Decimal(tenths) / 10) for tenths in range(340, 431)}  # as stored
SELF, WORKER = HealthCheck.Channel.SELF.value, HealthCheck.Channel.WORKER.value


def build(writer, rng, residents, today=None, now=None, stdout=None):
    """Write plans, checks, alerts and check symptoms for a county of `residents` residents."""
    say = stdout.write if stdout else (lambda text: None)
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    world = World(rng, today, now)
    active = Resident.objects.filter(status=Resident.Status.ACTIVE)
    quiet = quiet_community()
    if quiet is not None:
        active = active.exclude(area_path__startswith=quiet.path)
    count = active.count()
    if not count or not world.categories:
        return {}
    # Plans start evenly over DAYS; those of the last default_days are open today.
    days = sum(c.default_days for c in world.categories) / len(world.categories)
    share = min(1.0, OPEN_SHARE * residents / days * DAYS / count)
    totals = dict.fromkeys(("plans", "checks", "alerts"), 0)
    last = active.order_by("-id").values_list("id", flat=True).first()
    for low in range(0, last + 1, CHUNK):
        people = active.filter(id__gte=low, id__lt=low + CHUNK).order_by("id")
        chosen = [p for p in people.values_list("id", "area_id", "area_path", "household_id")]
        chosen = [p for p in chosen if rng.random() < share]
        with transaction.atomic():
            for name, n in world.write(writer, chosen).items():
                totals[name] += n
        say(f"monitoring: {totals['plans']:,} plans, {totals['checks']:,} checks\n")
    return totals


def quiet_community():
    """The community of the first street with nothing to report: its last one, when the
    street has more than the demo logins' first community."""
    street = Area.objects.filter(level=Level.TOWNSHIP).order_by("code").first()
    communities = Area.objects.filter(parent=street, level=Level.COMMUNITY).order_by("-code")
    return communities.first() if street and communities.count() > 1 else None


class World:
    def __init__(self, rng, today, now):
        self.rng, self.today, self.now = rng, today, now
        self.tz = timezone.get_current_timezone()
        self.categories = list(
            MonitoringCategory.objects.filter(is_active=True).prefetch_related("symptoms")
        )
        twice = sum(c.checks_per_day == 2 for c in self.categories)
        once = len(self.categories) - twice
        self.weights = [
            (TWICE_A_DAY / twice if c.checks_per_day == 2 else (1 - TWICE_A_DAY) / once)
            if twice and once
            else 1
            for c in self.categories
        ]
        self.symptoms = {c.pk: [s.pk for s in c.symptoms.all()] for c in self.categories}
        self.slots = {c.pk: c.slots() for c in self.categories}
        self.assigned = dict(HouseholdAssignment.objects.values_list("household_id", "worker"))
        users = dict(Worker.objects.filter(user__isnull=False).values_list("id", "user_id"))
        self.worker_users = users
        self.grid_users = {
            area: users[worker]
            for area, worker in Role.objects.filter(kind=RoleKind.GRID_WORKER).values_list(
                "area_id", "worker_id"
            )
            if worker in users
        }
        self.checks_through = HealthCheck.symptoms.through

    def write(self, writer, people):
        plans, plan_checks = [], []
        for person in people:
            plan, checks = self.plan(*person)
            plans.append(plan)
            plan_checks.append(checks)
        writer.insert(MonitoringPlan, plans)
        checks = []
        for plan, its_checks in zip(plans, plan_checks, strict=True):
            for check, _symptoms, _alert in its_checks:
                check["plan_id"] = plan.pk
                checks.append(check)
        writer.insert_rows(HealthCheck, checks, raw={"uuid", "temperature"})
        alerts, symptoms = [], []
        for plan, its_checks in zip(plans, plan_checks, strict=True):
            for check, check_symptoms, alert in its_checks:
                symptoms += [
                    self.checks_through(healthcheck_id=check["id"], symptom_id=s)
                    for s in check_symptoms
                ]
                if alert is not None:
                    alert.plan_id, alert.check_record_id = plan.pk, check["id"]
                    alerts.append(alert)
        writer.insert(self.checks_through, symptoms)
        writer.insert(Alert, alerts)
        return {"plans": len(plans), "checks": len(checks), "alerts": len(alerts)}

    def plan(self, resident_id, area_id, area_path, household_id):
        """An unsaved plan of one resident and its [[check, symptom ids, alert or None]]."""
        r = self.rng
        category = r.choices(self.categories, self.weights)[0]
        starts_on = self.today - datetime.timedelta(r.randrange(DAYS))
        ends_on = starts_on + datetime.timedelta(category.default_days - 1)
        worker = self.assigned.get(household_id)
        careless = r.random() < CARELESS
        checks, alerts = [], []  # alerts: [index of the check, day opened, moment closed or None]
        day = starts_on
        while day <= self.today:
            if day > ends_on and not any(  # held open by an alert, or over
                opened <= day and (closed is None or self.local(closed) >= day)
                for _i, opened, closed in alerts
            ):
                break
            for number, due in self.slots[category.pk]:
                made = self.check(category, area_id, area_path, worker, careless, day, number, due)
                if made is not None:
                    checks.append(made)
                    if made[0]["abnormal"]:
                        alerts.append((len(checks) - 1, day, self.closed_at(made[0])))
            day += datetime.timedelta(1)
        stopped_on, reason = None, ""
        last = min(ends_on, self.today)
        if starts_on < last and r.random() < STOPPED:
            stopped_on = starts_on + datetime.timedelta(r.randint(1, (last - starts_on).days))
            kept = [a for a in alerts if a[1] < stopped_on]
            if all(closed and self.local(closed) <= stopped_on for _i, _o, closed in kept):
                checks = [c for c in checks if c[0]["day"] < stopped_on]
                alerts, reason = kept, r.choice(STOP_REASONS)
            else:  # an alert was open then: the plan could not be stopped
                stopped_on = None
        held_open = any(closed is None for _i, _o, closed in alerts)
        if alerts and not held_open and not stopped_on:
            # The last alert was closed after the end: the plan ran until that day.
            ends_on = max(ends_on, *(self.local(closed) for _i, _o, closed in alerts))
        for index, _opened, closed in alerts:
            check = checks[index][0]
            alert = Alert(area_id=area_id, area_path=area_path, opened_at=check["recorded_at"])
            if closed is not None:
                disposition, _w, notes = r.choices(DISPOSITIONS, [d[1] for d in DISPOSITIONS])[0]
                alert.disposition, alert.disposition_note = disposition, r.choice(notes)
                alert.closed_at, alert.closed_by_id = closed, self.grid_users.get(area_id)
            checks[index][2] = alert
        plan = MonitoringPlan(
            resident_id=resident_id,
            area_id=area_id,
            area_path=area_path,
            category=category,
            starts_on=starts_on,
            ends_on=ends_on,
            worker_id=worker,
            source=r.choice(SOURCES.get(category.code, ["县指挥部推送"])),
            created_by_id=self.grid_users.get(area_id),
            created_at=self.at(starts_on, r.randint(8 * 60, 11 * 60)),
            stopped_on=stopped_on,
            stop_reason=reason,
            held_open=held_open,
            report_key=f"{r.getrandbits(96):024x}",
        )
        return plan, checks

    def check(self, category, area_id, area_path, worker, careless, day, number, due):
        """[unsaved check's columns, symptom ids, None] of one slot, or None when nobody recorded it."""
        r = self.rng
        deadline = datetime.datetime.combine(day, due, tzinfo=self.tz)
        if deadline <= self.now:  # selectors.past_due
            if r.random() < (MISSED_CARELESS if careless else MISSED_OTHERS):
                return None
        elif r.random() >= EARLY_TODAY:
            return None
        start = deadline - datetime.timedelta(hours=5 if due.hour < 14 else 12)
        recorded_at = start + datetime.timedelta(seconds=r.randrange((deadline - start).seconds))
        if recorded_at > self.now:
            return None
        fever_at = int(category.fever_at * 10)
        symptoms = []
        if r.random() < ABNORMAL:
            if r.random() < FEVER or not self.symptoms[category.pk]:
                tenths = r.randint(fever_at, 392)
                if r.random() < 0.4 and self.symptoms[category.pk]:
                    symptoms = r.sample(self.symptoms[category.pk], r.randint(1, 2))
            else:
                tenths = r.randint(360, fever_at - 1)
                symptoms = r.sample(self.symptoms[category.pk], 1)
        else:
            tenths = min(fever_at - 1, max(355, round(r.gauss(365, 3))))
        self_reported = r.random() < SELF_REPORTED
        check = {  # a HealthCheck's columns (writer.insert_rows)
            "uuid": uuid.UUID(int=r.getrandbits(128), version=4).hex,  # both take 32 hex digits
            "plan_id": None,
            "area_id": area_id,
            "area_path": area_path,
            "day": day,
            "slot": number,
            "temperature": TEMPERATURES[tenths],
            "note": "",
            "abnormal": tenths >= fever_at or bool(symptoms),
            "channel": SELF if self_reported else WORKER,
            "recorded_by_id": None if self_reported else self.worker_users.get(worker),
            "recorded_at": recorded_at,
        }
        return [check, symptoms, None]

    def closed_at(self, check):
        """When the alert of an abnormal check was dealt with, or None while it is still open."""
        r = self.rng
        if r.random() < STALE_ALERT:
            return None
        day = self.local(check["recorded_at"]) + datetime.timedelta(r.choice((0, 0, 0, 1, 1, 2, 3)))
        moment = max(
            check["recorded_at"] + datetime.timedelta(minutes=r.randint(20, 300)),
            self.at(day, r.randint(8 * 60, 18 * 60)),
        )
        return moment if moment <= self.now else None

    def local(self, moment):
        return timezone.localtime(moment, self.tz).date()

    def at(self, day, minutes):
        """A moment of local time on `day`, `minutes` after midnight (not after now)."""
        moment = datetime.datetime.combine(day, datetime.time(minutes // 60, minutes % 60), self.tz)
        return min(moment, self.now)
