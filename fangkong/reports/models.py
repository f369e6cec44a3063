"""Daily reports (日报告): one per reporting area and date, submitted as a frozen snapshot.

A community's figures are computed from the records when it submits; a township's, a
county's … are the sum of the submitted community snapshots of their subtree. A correction
after submission is an amendment: a new version with a reason, the earlier ones kept.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fangkong.areas.models import Level
from fangkong.scope import PlaceBound

# The levels that send a daily report; grids report through their community.
REPORTING_LEVELS = [Level.PROVINCE, Level.CITY, Level.COUNTY, Level.TOWNSHIP, Level.COMMUNITY]


class ReportDeadline(models.Model):
    """By when a level's report for a date is due: `days_after` the date, at `due_time`."""

    level = models.CharField(
        _("level"),
        max_length=10,
        unique=True,
        choices=[(level.value, level.label) for level in REPORTING_LEVELS],
    )
    days_after = models.PositiveSmallIntegerField(_("days after the report date"), default=1)
    due_time = models.TimeField(_("due by (local time)"))

    class Meta:
        ordering = ["-days_after", "due_time"]
        verbose_name = _("report deadline")
        verbose_name_plural = _("report deadlines")

    def __str__(self):
        return f"{self.get_level_display()} {self.due_time:%H:%M}"

    def due_at(self, day):
        moment = datetime.datetime.combine(
            day + datetime.timedelta(days=self.days_after), self.due_time
        )
        return timezone.make_aware(moment)


class Snapshot(models.Model):
    """What one submission froze: the figures, the zero-report statement, the note, and
    above a community how many community reports of the subtree the sum was made from."""

    figures = models.JSONField(_("figures"), default=dict)
    zero_report = models.BooleanField(_("zero report"), default=False)
    note = models.TextField(_("situation note"), blank=True)
    expected = models.PositiveIntegerField(_("communities expected"), default=0)
    submitted = models.PositiveIntegerField(_("communities reported"), default=0)
    on_time = models.PositiveIntegerField(_("communities on time"), default=0)
    submitted_at = models.DateTimeField(_("submitted at"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    SNAPSHOT_FIELDS = ["figures", "zero_report", "note", "expected", "submitted", "on_time"]

    class Meta:
        abstract = True


class DailyReport(Snapshot, PlaceBound):
    """An area's report for one date, as last submitted (see `versions` for every one);
    `submitted_at` is the first submission's."""

    level = models.CharField(_("level"), max_length=10, choices=Level.choices, editable=False)
    day = models.DateField(_("report date"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    # Judged against the deadline in force when first submitted; amendments keep it.
    late = models.BooleanField(_("late"), default=False)
    amended_at = models.DateTimeField(_("amended at"), null=True, blank=True)

    class Meta(PlaceBound.Meta):
        ordering = ["-day", "area_path"]
        verbose_name = _("daily report")
        verbose_name_plural = _("daily reports")
        constraints = [
            models.UniqueConstraint(fields=["area", "day"], name="daily_report_once_a_day")
        ]
        indexes = [
            # A supervisor's day: the reports of one level in a subtree, and whether late.
            models.Index(
                fields=["day", "level", "area_path", "late"],
                opclasses=["", "", "varchar_pattern_ops", ""],
                name="report_day_level",
            ),
        ]

    def __str__(self):
        return f"{self.area.name} {self.day}"


class ReportVersion(Snapshot):
    """One submission of a report, the first or an amendment, exactly as it was sent."""

    report = models.ForeignKey(
        DailyReport,
        verbose_name=_("daily report"),
        on_delete=models.CASCADE,
        related_name="versions",
    )
    number = models.PositiveSmallIntegerField(_("version"))
    reason = models.CharField(_("reason for the amendment"), max_length=300, blank=True)

    class Meta:
        ordering = ["report", "-number"]
        verbose_name = _("report version")
        verbose_name_plural = _("report versions")
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="report_version_once")
        ]

    def __str__(self):
        return f"{self.report} v{self.number}"


class ReportSum(PlaceBound):
    """The sums of the community reports of an area's subtree for one date (the area itself
    for a community), kept as each report is sent or amended: a province's page reads its
    children's sums, not its 20,000 communities' snapshots."""

    day = models.DateField(_("report date"))
    figures = models.JSONField(_("figures"), default=dict)
    submitted = models.PositiveIntegerField(_("communities reported"), default=0)
    on_time = models.PositiveIntegerField(_("communities on time"), default=0)
    zero = models.PositiveIntegerField(_("zero reports"), default=0)

    class Meta(PlaceBound.Meta):
        ordering = ["day", "area_path"]
        verbose_name = _("report sum")
        verbose_name_plural = _("report sums")
        constraints = [models.UniqueConstraint(fields=["area", "day"], name="report_sum_once")]

    def __str__(self):
        return f"{self.area.name} {self.day}"
