"""Cases, contacts and the persons they link (流调追踪), as a graph (docs/tracing.md).

A `TracedPerson` (追踪对象) is one person across every list: a resident of the registry, or a
person not (yet) in it, who can later be matched. A `Case` makes a person a case; a `Contact`
is an edge from a source person to a contacted person. Degree is derived from the graph,
never recorded: a close contact (密切接触者) is reached by a confirmed edge from a case, a
secondary contact (次密切接触者) by one from a close contact. `TracedPerson.category` keeps
the strictest derived category for lists and counts: only re-ranking (`ranking.rerank`)
writes it, from the graph, and every change leaves a `RankChange` saying why.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fangkong.pii import EncryptedTextField, mask_id_number, mask_phone
from fangkong.scope import PathField, PlaceBound, ScopedManager, ScopedQuerySet, path_q, scope_paths


class Category(models.TextChoices):
    """The strictest category a person's edges give them (strictest first)."""

    CASE = "case", _("Case")
    CLOSE_CONTACT = "close_contact", _("Close contact")
    SECONDARY_CONTACT = "secondary_contact", _("Secondary contact")


# Lower is stricter; no category (blank) ranks last.
STRICTNESS = {Category.CASE: 0, Category.CLOSE_CONTACT: 1, Category.SECONDARY_CONTACT: 2, "": 3}


class TracedPerson(PlaceBound):
    """A person of the tracing graph (追踪对象). `area` is the community or grid where they
    live or are managed: a resident's grid, or where a worker placed a person not in the
    registry.

    A re-ranking updates the kept category of 10⁴ persons at once, so no index holds the
    category: on PostgreSQL such an UPDATE is then HOT (the new row version in the same page,
    no index entry at all; the table keeps a fifth of each page free for it, migration 0006),
    where it wrote an entry in every index (0.4–0.7 s with six, a second with ten). SQLite
    rewrites no index either. The lists and counts by category read the path's index and
    filter the rows. The area's and the creator's foreign keys go unindexed (an area or a
    login is never deleted with persons in it: PROTECT and SET_NULL read the table once); the
    resident's is the unique constraint's index."""

    area = models.ForeignKey(
        "areas.Area", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    resident = models.ForeignKey(
        "people.Resident",
        verbose_name=_("resident"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    id_number = EncryptedTextField(_("ID number"), blank=True)
    id_number_hash = models.CharField(max_length=64, blank=True, editable=False)
    phone = EncryptedTextField(_("phone"), blank=True)
    phone_hash = models.CharField(max_length=64, blank=True, editable=False)
    address = models.CharField(_("address"), max_length=200, blank=True)
    # Derived from the graph by re-ranking, never set by hand (see the module's docstring).
    category = models.CharField(
        _("category"), max_length=20, choices=Category.choices, blank=True, editable=False
    )
    category_since = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(PlaceBound.Meta):
        ordering = ["area_path", "name", "pk"]
        verbose_name = _("traced person")
        verbose_name_plural = _("traced persons")
        constraints = [
            models.UniqueConstraint(
                fields=["resident"],
                condition=Q(resident__isnull=False),
                name="one_traced_person_per_resident",
            ),
            models.UniqueConstraint(
                fields=["id_number_hash"],
                condition=~Q(id_number_hash=""),
                name="one_traced_person_per_id_number",
            ),
        ]
        indexes = [
            models.Index(fields=["phone_hash"], name="traced_person_phone"),
        ]
        permissions = [("reveal_tracedperson", "Can see whole ID numbers and phone numbers")]

    def __str__(self):
        return self.name

    @property
    def id_number_masked(self):
        return mask_id_number(self.id_number)

    @property
    def phone_masked(self):
        return mask_phone(self.phone)


class Case(PlaceBound):
    """A case (病例): a person's classification and dates. `area` is the person's, where the
    case counts (the risk-level countdown, the daily report)."""

    class Classification(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed case")
        SUSPECTED = "suspected", _("Suspected case")
        ASYMPTOMATIC = "asymptomatic", _("Asymptomatic infection")

    class Source(models.TextChoices):
        REPORTED = "reported", _("Reported by a higher level")
        FOUND = "found", _("Found here")

    person = models.ForeignKey(
        TracedPerson, verbose_name=_("person"), on_delete=models.PROTECT, related_name="cases"
    )
    classification = models.CharField(
        _("classification"), max_length=20, choices=Classification.choices
    )
    onset_on = models.DateField(_("onset date"), null=True, blank=True)
    reported_on = models.DateField(_("report date"))
    isolated_on = models.DateField(_("isolation date"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    # The higher level's list (通报) it came in, when reported.
    list_reference = models.CharField(_("list reference"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    # A suspected case excluded (排除): it no longer makes its contacts close contacts.
    ruled_out_on = models.DateField(_("ruled out on"), null=True, blank=True)
    ruled_out_reason = models.CharField(_("why it was ruled out"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    client_uuid = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta(PlaceBound.Meta):
        ordering = ["-reported_on", "-pk"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(ruled_out_on=None),
                name="one_standing_case_per_person",
            )
        ]
        indexes = [models.Index(fields=["person", "ruled_out_on"], name="case_person")]
        permissions = [("export_case", "Can export chains of cases")]

    def __str__(self):
        return f"{self.person} {self.get_classification_display()}"

    @property
    def standing(self):
        return self.ruled_out_on is None


class ContactQuerySet(ScopedQuerySet):
    def visible_to(self, user, perm):
        """An edge is seen from both ends: where the contacted person lives (`area`) and
        where its source does, so the team that traces a case sees every contact of it."""
        paths = scope_paths(user, perm)
        return self._stated().filter(path_q("area_path", paths) | path_q("source_path", paths))


class Contact(PlaceBound):
    """An edge of the graph: `person` was exposed to `source`. Only confirmed edges rank
    people; a suggested one waits for a worker (never applied silently)."""

    class Setting(models.TextChoices):
        HOUSEHOLD = "household", _("Household")
        WORK = "work", _("Work")
        DINING = "dining", _("Dining")
        TRANSPORT = "transport", _("Transport")
        SHARED_SPACE = "shared_space", _("Shared space")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        SUGGESTED = "suggested", _("Suggested")
        CONFIRMED = "confirmed", _("Confirmed")
        DISMISSED = "dismissed", _("Dismissed")

    objects = ScopedManager.from_queryset(ContactQuerySet)()

    source = models.ForeignKey(
        TracedPerson, verbose_name=_("source"), on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        TracedPerson, verbose_name=_("contacted person"), on_delete=models.PROTECT, related_name="+"
    )
    source_path = PathField(editable=False)
    exposed_on = models.DateField(_("exposure date"))
    last_exposed_on = models.DateField(_("last exposure"), null=True, blank=True)
    setting = models.CharField(_("setting"), max_length=20, choices=Setting.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.CONFIRMED
    )
    identified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("identified by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    identified_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    client_uuid = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta(PlaceBound.Meta):
        ordering = ["-exposed_on", "-pk"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        constraints = [
            models.CheckConstraint(condition=~Q(source=models.F("person")), name="no_self_contact"),
            models.UniqueConstraint(fields=["source", "person"], name="one_edge_per_pair"),
        ]
        # The graph is walked both ways: forward for chains, backward for a person's rank.
        indexes = [
            models.Index(fields=["source", "status", "person"], name="contact_forward"),
            models.Index(fields=["person", "status", "source"], name="contact_backward"),
            models.Index(
                fields=["source_path"],
                name="contact_source_path",
                opclasses=["varchar_pattern_ops"],
            ),
        ]

    def __str__(self):
        return f"{self.source} → {self.person}"

    def save(self, *args, **kwargs):
        self.source_path = self.source.area_path
        super().save(*args, **kwargs)


class TracingTask(PlaceBound):
    """A tracing task (追踪任务) for the community where a contacted person lives: find them,
    tell them, confirm how to reach them. Its workers see the contact with only what they
    need of the source (its category, the exposure's date and setting)."""

    contact = models.OneToOneField(
        Contact, verbose_name=_("contact"), on_delete=models.CASCADE, related_name="task"
    )
    person = models.ForeignKey(
        TracedPerson, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.CharField(_("what was done"), max_length=500, blank=True)

    class Meta(PlaceBound.Meta):
        ordering = ["done_at", "-created_at", "-pk"]
        verbose_name = _("tracing task")
        verbose_name_plural = _("tracing tasks")
        indexes = [models.Index(fields=["area_path", "done_at"], name="tracing_task_open")]

    def __str__(self):
        return str(self.person)

    @property
    def done(self):
        return self.done_at is not None


class RankChange(PlaceBound):
    """One change of a person's derived category by re-ranking: from what, to what, and why
    (the event that started it, and the edge or case that decided it).

    Written 10⁴ at a time, so without the indexes nothing reads by: the area and the login
    (the path is what lists and counts read), the person alone (the person's index with the
    time serves it)."""

    area = models.ForeignKey(
        "areas.Area", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    person = models.ForeignKey(
        TracedPerson,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
    )
    old = models.CharField(_("before"), max_length=20, choices=Category.choices, blank=True)
    new = models.CharField(_("after"), max_length=20, choices=Category.choices, blank=True)
    reason = models.CharField(_("reason"), max_length=300)
    # The person whose change started the re-ranking (a new case, a new edge).
    trigger = models.ForeignKey(
        TracedPerson, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta(PlaceBound.Meta):
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("category change")
        verbose_name_plural = _("category changes")
        indexes = [models.Index(fields=["person", "changed_at"], name="rank_change_person")]

    def __str__(self):
        return f"{self.person}: {self.old or '-'} → {self.new or '-'}"


class CaseImport(PlaceBound):
    """A list of cases reported by a higher level, uploaded into an area: taken whole (every
    row a case, in one transaction) or refused whole with the faulty rows' problems, which
    stay downloadable as the error report. `uuid` is the upload form's: a retried upload
    answers the import it made."""

    class Status(models.TextChoices):
        TAKEN = "taken", _("Taken")
        REFUSED = "refused", _("Refused")

    uuid = models.UUIDField(unique=True, editable=False)
    list_reference = models.CharField(_("list reference"), max_length=100)
    file_name = models.CharField(_("file"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    cases_recorded = models.PositiveIntegerField(_("cases recorded"), default=0)
    rows_matched = models.PositiveIntegerField(_("residents of the registry"), default=0)
    rows_skipped = models.PositiveIntegerField(_("faulty rows skipped"), default=0)
    # [{"row", "column", "reason"}] as `spreadsheets.problem` makes them.
    problems = models.JSONField(default=list, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta(PlaceBound.Meta):
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("case list import")
        verbose_name_plural = _("case list imports")

    def __str__(self):
        return f"{self.list_reference} ({self.file_name})"
