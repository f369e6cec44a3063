from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fangkong import tasks
from fangkong.pii import EncryptedBinaryField, EncryptedTextField, mask_id_number, mask_phone
from fangkong.scope import PathField, PlaceBound


class Household(PlaceBound):
    building = models.ForeignKey(
        "areas.Building",
        verbose_name=_("building"),
        on_delete=models.PROTECT,
        related_name="households",
    )
    number = models.CharField(_("house number"), max_length=50)
    address = models.CharField(_("address"), max_length=200, blank=True)

    class Meta(PlaceBound.Meta):
        ordering = ["area_path", "building_id", "number"]
        verbose_name = _("household")
        verbose_name_plural = _("households")
        constraints = [
            models.UniqueConstraint(fields=["building", "number"], name="household_number_unique")
        ]

    def __str__(self):
        return f"{self.building.name} {self.number}"


class Sex(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class Resident(PlaceBound):
    class Relation(models.TextChoices):
        HEAD = "head", _("Head of household")
        SPOUSE = "spouse", _("Spouse")
        CHILD = "child", _("Child")
        PARENT = "parent", _("Parent")
        GRANDCHILD = "grandchild", _("Grandchild")
        GRANDPARENT = "grandparent", _("Grandparent")
        SIBLING = "sibling", _("Sibling")
        TENANT = "tenant", _("Tenant")
        OTHER = "other", _("Other")

    class Residence(models.TextChoices):
        REGISTERED_LIVING = "registered_living", _("Registered, living here")
        REGISTERED_AWAY = "registered_away", _("Registered, living elsewhere")
        LIVING_HERE = "living_here", _("Living here, registered elsewhere")

    # None: registered in the grid (`area`) from a survey sheet that gave no address, not yet
    # placed in a household (待落户, `selectors.residents_unplaced`).
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="residents",
        null=True,
        blank=True,
    )

    class Status(models.TextChoices):
        ACTIVE = "active", _("Living here")
        MOVED_OUT = "moved_out", _("Moved out")
        DECEASED = "deceased", _("Deceased")

    # Indexed by `resident_list` (its first column) and, for PostgreSQL's LIKE,
    # `resident_area_path_like`: the plain index every PlaceBound has would be a third.
    # Residents are found by path, never by area id: only deleting an area, which the admin
    # alone may do, looks for them by it (a scan), and each index slows every import.
    area = models.ForeignKey(
        "areas.Area", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    area_path = PathField(db_index=False, editable=False)
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    # Where a survey sheet said the person lives, kept while they wait for a household (待落户)
    # so that the grid worker knows where to place them.
    surveyed_address = models.CharField(_("address in the survey"), max_length=200, blank=True)
    # Pinyin initials of the name (张三 → zs), what a grid worker types on a phone keyboard.
    name_initials = models.CharField(max_length=50, blank=True, editable=False)
    sex = models.CharField(_("sex"), max_length=6, choices=Sex.choices, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    id_number = EncryptedTextField(_("ID number"), blank=True)
    id_number_hash = models.CharField(max_length=64, blank=True, editable=False)
    phone = EncryptedTextField(_("phone"), blank=True)
    phone_hash = models.CharField(max_length=64, blank=True, editable=False)
    # The last four characters, which the masked forms show anyway: search by "the last digits"
    # narrows to a handful of rows, and only those are decrypted to compare five or six.
    id_number_tail = models.CharField(max_length=4, blank=True, editable=False)
    phone_tail = models.CharField(max_length=4, blank=True, editable=False)
    relation_to_head = models.CharField(
        _("relation to head"), max_length=12, choices=Relation.choices, default=Relation.HEAD
    )
    residence = models.CharField(
        _("residence status"),
        max_length=20,
        choices=Residence.choices,
        default=Residence.REGISTERED_LIVING,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    status_changed_on = models.DateField(_("since"), null=True, blank=True)
    status_note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(PlaceBound.Meta):
        ordering = ["area_path", "household_id", "id"]
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        constraints = [
            # One person, one record: the digest of the ID number is unique when present.
            models.UniqueConstraint(
                fields=["id_number_hash"],
                condition=~models.Q(id_number_hash=""),
                name="resident_id_number_unique",
            )
        ]
        indexes = [
            models.Index(fields=["area_path", "household", "id"], name="resident_list"),
            models.Index(
                fields=["area_path"],
                name="resident_area_path_like",
                opclasses=["varchar_pattern_ops"],
            ),
            # With the path, the index alone says where the namesakes of a verification
            # list live: only those of the row's community are read from the table.
            models.Index(
                fields=["name", "area_path"],
                name="resident_name_place",
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops"],
            ),
            models.Index(
                fields=["name_initials"],
                name="resident_initials_prefix",
                opclasses=["varchar_pattern_ops"],
            ),
            models.Index(fields=["id_number_tail"], name="resident_id_tail"),
            models.Index(fields=["phone_tail"], name="resident_phone_tail"),
            # Exact look-ups only: `db_index` would add a pattern-ops copy on PostgreSQL.
            models.Index(fields=["phone_hash"], name="resident_phone_hash"),
        ]
        permissions = [
            ("reveal_resident", "Can see whole ID numbers and phone numbers"),
            ("export_resident", "Can export lists of residents"),
        ]

    def __str__(self):
        return self.name

    @property
    def age(self):
        """Whole years today. Pages show the age, not the birth date, which together with the
        masked ID number would give the whole number away."""
        if not self.birth_date:
            return None
        today = timezone.localdate()
        born = self.birth_date
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))

    @property
    def id_number_masked(self):
        return mask_id_number(self.id_number)

    @property
    def phone_masked(self):
        return mask_phone(self.phone)


class KeyGroup(PlaceBound):
    """A key-group tag on a resident (重点人群): which group, since when, recorded by whom."""

    class Kind(models.TextChoices):
        LONE_ELDERLY = "lone_elderly", _("Lone elderly")
        SCATTERED_ORPHAN = "scattered_orphan", _("Scattered orphan")
        UNSUPPORTED_CHILD = "unsupported_child", _("Child without actual support")
        LEFT_BEHIND_CHILD = "left_behind_child", _("Left-behind child")
        LEFT_BEHIND_ELDERLY = "left_behind_elderly", _("Left-behind elderly")
        CHILD_IN_DIFFICULTY = "child_in_difficulty", _("Child in difficulty")
        DISABLED = "disabled", _("Disabled")
        PREGNANT = "pregnant", _("Pregnant or postpartum")
        SUBSISTENCE_ALLOWANCE = "subsistence_allowance", _("Subsistence allowance")
        EXTREME_POVERTY = "extreme_poverty", _("Extreme poverty")
        LOW_INCOME = "low_income", _("Low-income family")
        SPECIAL_HARDSHIP = "special_hardship", _("Special hardship")
        TENANT = "tenant", _("Tenant")
        DORMITORY = "dormitory", _("Dormitory resident")
        MIGRANT_STAYING = "migrant_staying", _("Migrant worker staying for the holiday")

    resident = models.ForeignKey(
        Resident, verbose_name=_("resident"), on_delete=models.CASCADE, related_name="key_groups"
    )
    kind = models.CharField(_("key group"), max_length=24, choices=Kind.choices)
    found_on = models.DateField(_("found on"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    # Set when the person leaves the group, moves out or dies: the tag stays in the history.
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    class Meta(PlaceBound.Meta):
        ordering = ["kind"]
        verbose_name = _("key group")
        verbose_name_plural = _("key groups")
        constraints = [
            models.UniqueConstraint(
                fields=["resident", "kind"],
                condition=models.Q(ended_on__isnull=True),
                name="key_group_once_per_resident",
            )
        ]
        # Current tags only: roll-ups group a subtree by kind, lists take one kind in a subtree.
        indexes = [
            models.Index(
                fields=["area_path", "kind"],
                condition=models.Q(ended_on__isnull=True),
                name="key_group_rollup",
            ),
            # PostgreSQL answers "this kind under this path" from this index alone.
            models.Index(
                fields=["kind", "area_path"],
                condition=models.Q(ended_on__isnull=True),
                include=["resident"],
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops"],
                name="key_group_by_kind",
            ),
        ]

    def __str__(self):
        return f"{self.resident} {self.get_kind_display()}"

    @property
    def recorder_name(self):
        """The worker's name, else the username, of who recorded the tag."""
        user = self.recorded_by
        if user is None:
            return ""
        worker = getattr(user, "worker", None)
        return worker.name if worker else user.get_username()


class DismissedSuggestion(PlaceBound):
    """A worker said a suggested key group does not apply; it is not suggested again."""

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=24, choices=KeyGroup.Kind.choices)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    dismissed_at = models.DateTimeField(auto_now_add=True)

    class Meta(PlaceBound.Meta):
        constraints = [
            models.UniqueConstraint(fields=["resident", "kind"], name="suggestion_dismissed_once")
        ]


class HouseholdAssignment(PlaceBound):
    """包片联户: the worker responsible for a household."""

    household = models.OneToOneField(
        Household, verbose_name=_("household"), on_delete=models.CASCADE, related_name="assignment"
    )
    worker = models.ForeignKey(
        "areas.Worker",
        verbose_name=_("responsible worker"),
        on_delete=models.PROTECT,
        related_name="household_assignments",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now=True)

    class Meta(PlaceBound.Meta):
        verbose_name = _("household assignment")
        verbose_name_plural = _("household assignments")

    def __str__(self):
        return f"{self.household} → {self.worker}"


class ImportColumn(PlaceBound):
    """What an area's survey sheets hold under a header the import does not know: the field it
    is read as, or nothing (ignored). Chosen on an import's preview, remembered for the area's
    next file."""

    header = models.CharField(_("column"), max_length=100)  # `spreadsheets.fold`ed
    field = models.CharField(_("read as"), max_length=20, blank=True)  # "": ignored
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    chosen_at = models.DateTimeField(auto_now=True)

    class Meta(PlaceBound.Meta):
        verbose_name = _("import column")
        verbose_name_plural = _("import columns")
        constraints = [
            models.UniqueConstraint(fields=["area", "header"], name="import_column_once_per_area")
        ]

    def __str__(self):
        return f"{self.header} → {self.field or '-'}"


class ImportJob(PlaceBound):
    """One upload of a resident spreadsheet into an area: validated first, committed on request.

    The file is kept in the database, encrypted, so any worker can read it, only while the job
    needs it: a job done, failed or cancelled drops it. The rows its problems name are kept
    beside it (encrypted too, they hold whole ID numbers), so that the rejected rows can be
    downloaded after the file is gone.
    """

    class State(models.TextChoices):
        VALIDATING = "validating", _("Checking")
        READY = "ready", _("Checked, waiting for confirmation")
        COMMITTING = "committing", _("Saving")
        DONE = "done", _("Saved")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    file_name = models.CharField(_("file"), max_length=200)
    data = EncryptedBinaryField(blank=True)
    # `import_workbooks.rejected_cells`: the header and the rejected rows as in the file
    rejected_rows = EncryptedBinaryField(blank=True, default=b"")
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.VALIDATING
    )
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    # {"new": n, "updated": n, "unchanged": n, "invalid": n, "households": n, "buildings": n}
    counts = models.JSONField(default=dict, blank=True)
    # [{"row": 7, "column": "身份证号", "reason": "…"}, …] in row order
    problems = models.JSONField(default=list, blank=True)
    message = models.TextField(blank=True)
    # The file's headers once checked: {"known": [field keys], "unknown": [headers the import
    # does not know, as written]} …
    file_columns = models.JSONField(default=dict, blank=True)
    # … and what each is read as in this job: {folded header: field key, or "" to ignore it},
    # the area's `ImportColumn`s when uploaded, then the uploader's choices on the preview.
    columns = models.JSONField(default=dict, blank=True)
    # While the job is in a worker's hands (checking, saving): the task doing the work and
    # the job's last sign of life. `fangkong.tasks.recover` fails a job silent for longer
    # than the timeout, keeping its file and, in `resume`, the step a retry runs again.
    task_id = models.CharField(max_length=64, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    resume = models.CharField(
        max_length=12,
        blank=True,
        choices=[(s.value, s.label) for s in (State.VALIDATING, State.COMMITTING)],
    )

    class Meta(PlaceBound.Meta):
        ordering = ["-created_at"]
        verbose_name = _("resident import")
        verbose_name_plural = _("resident imports")

    def __str__(self):
        return self.file_name

    @property
    def retryable(self):
        """Failed because its worker stopped: its file is kept for a retry (or a cancel)."""
        return self.state == self.State.FAILED and bool(self.resume)

    @property
    def stalled(self):
        """In a worker's hands but silent for longer than the timeout."""
        last = self.heartbeat_at or self.created_at
        return (
            self.state in (self.State.VALIDATING, self.State.COMMITTING)
            and last is not None
            and last < tasks.cutoff()
        )
