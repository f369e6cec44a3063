"""Verification lists (协查名单) from a higher level, and the verification tasks (核查) they make.

A list is uploaded into an area; each row (`VerificationEntry`) is matched to the registry
and becomes the source of a `VerificationTask`: one per person, in the grid of the matched
resident, or in the community (or the list's own area) when nobody matched, to be passed
down. The same person named by several lists while a task is open is that one task with
several sources, never several calls.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fangkong.pii import EncryptedTextField, mask_id_number, mask_phone
from fangkong.scope import PlaceBound


class VerificationList(PlaceBound):
    """One uploaded list, in the uploader's area; its counts are fixed at upload."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True)
    name = models.CharField(_("list name"), max_length=200)
    deadline = models.DateField(_("deadline"))
    file_name = models.CharField(_("file"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    rows_total = models.PositiveIntegerField(default=0)
    rows_matched = models.PositiveIntegerField(default=0)
    rows_unmatched = models.PositiveIntegerField(default=0)
    rows_invalid = models.PositiveIntegerField(default=0)
    # Rows whose person already had an open task (of an earlier list or of this one).
    rows_merged = models.PositiveIntegerField(default=0)
    # [{"row": 7, "column": "身份证号", "reason": "…"}, …] of the rows refused
    problems = models.JSONField(default=list, blank=True)

    class Meta(PlaceBound.Meta):
        ordering = ["-created_at", "-id"]
        verbose_name = _("verification list")
        verbose_name_plural = _("verification lists")
        permissions = [("export_verificationlist", "Can export the results of a list")]

    def __str__(self):
        return self.name

    @property
    def rows_accepted(self):
        return self.rows_matched + self.rows_unmatched


class Result(models.TextChoices):
    MONITORED = "monitored", _("Found, under monitoring")
    NOT_HERE = "not_here", _("Not found / not living here")
    LEFT = "left", _("Already left")
    WRONG_DATA = "wrong_data", _("Wrong data")


class VerificationTask(PlaceBound):
    """One person to verify: in the matched resident's grid, else in a community or the
    list's area, waiting to be passed down. Open while `result` is empty."""

    person_key = models.CharField(max_length=100, editable=False)
    resident = models.ForeignKey(
        "people.Resident",
        verbose_name=_("resident"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="verification_tasks",
    )
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    worker = models.ForeignKey(
        "areas.Worker",
        verbose_name=_("responsible worker"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="verification_tasks",
    )
    deadline = models.DateField(_("deadline"))
    created_at = models.DateTimeField(auto_now_add=True)
    result = models.CharField(_("result"), max_length=12, choices=Result.choices, blank=True)
    result_note = models.CharField(_("note"), max_length=200, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    plan = models.ForeignKey(
        "monitoring.MonitoringPlan",
        verbose_name=_("monitoring plan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta(PlaceBound.Meta):
        ordering = ["deadline", "area_path", "id"]
        verbose_name = _("verification task")
        verbose_name_plural = _("verification tasks")
        permissions = [("assign_verificationtask", "Can pass a verification task down")]
        constraints = [
            # One open task per person and area: a second list adds a source to it.
            models.UniqueConstraint(
                fields=["person_key", "area"],
                condition=models.Q(result=""),
                name="verification_task_open_once",
            )
        ]
        indexes = [
            models.Index(
                fields=["area_path", "deadline"],
                condition=models.Q(result=""),
                name="verification_task_open",
            ),
            models.Index(fields=["person_key"], name="verification_task_person"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_open(self):
        return not self.result

    @property
    def is_overdue(self):
        return self.is_open and self.deadline < timezone.localdate()


class VerificationEntry(PlaceBound):
    """One row of a list as it was sent (the list's area), and the task it is a source of."""

    class MatchedBy(models.TextChoices):
        ID_NUMBER = "id_number", _("ID number")
        PHONE = "phone", _("Phone")
        NAME = "name", _("Name and community")
        NONE = "", _("Not matched")

    list = models.ForeignKey(
        VerificationList, on_delete=models.CASCADE, related_name="entries", verbose_name=_("list")
    )
    task = models.ForeignKey(
        VerificationTask, on_delete=models.CASCADE, related_name="entries", verbose_name=_("task")
    )
    row = models.PositiveIntegerField(_("row"))
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    id_number = EncryptedTextField(_("ID number"), blank=True)
    id_number_hash = models.CharField(max_length=64, blank=True, editable=False)
    phone = EncryptedTextField(_("phone"), blank=True)
    phone_hash = models.CharField(max_length=64, blank=True, editable=False)
    community = models.CharField(_("community or village"), max_length=100, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    matched_by = models.CharField(
        _("matched by"), max_length=10, choices=MatchedBy.choices, blank=True
    )

    class Meta(PlaceBound.Meta):
        ordering = ["list_id", "row"]
        verbose_name = _("verification list row")
        verbose_name_plural = _("verification list rows")
        indexes = [models.Index(fields=["task", "list"], name="verification_entry_task")]

    def __str__(self):
        return f"{self.list} {self.row}"

    @property
    def id_number_masked(self):
        return mask_id_number(self.id_number)

    @property
    def phone_masked(self):
        return mask_phone(self.phone)
