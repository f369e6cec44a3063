"""The workbooks of verification lists: the template to fill in, and a list's results."""

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from fangkong.spreadsheets import TEMPLATE_ROWS, Column, write_table
from fangkong.verification.models import Result, VerificationEntry
from fangkong.verification.reading import FIELDS
from fangkong.verification.selectors import rows_of_list, sources_of

CHUNK = 2000
EXPORT = "verification.export_verificationlist"


def write_template(stream):
    """The list's columns, its number columns formatted as text, and an example row marked
    示例, which the list's reading skips (`spreadsheets.not_a_person`)."""
    columns = [Column(f.label, f.width, text=f.text) for f in FIELDS]
    example = ["张三（示例）", "", "", _("Came from a risk area on 2026-11-20"), ""]
    return write_table(
        stream,
        title=_("Verification list"),
        columns=columns,
        rows=[example],
        blank_rows=TEMPLATE_ROWS,
    )


def write_results(stream, user, vlist):
    """One line per row of the list, with where it went and what was found; numbers masked.
    The user may export the list (checked by the caller)."""
    columns = [
        Column(_("row"), 6),
        Column(pgettext("person", "name"), 10),
        Column(_("ID number"), 21, text=True),
        Column(_("phone"), 14, text=True),
        Column(_("reason"), 30),
        Column(_("matched by"), 12),
        Column(_("area"), 16),
        Column(_("responsible worker"), 12),
        Column(_("deadline"), 12),
        Column(_("result"), 18),
        Column(_("note"), 24),
        Column(_("verified at"), 17),
        Column(_("other lists naming the person"), 8),
    ]
    rows_of = rows_of_list(user, vlist, EXPORT)
    entries = rows_of.select_related("task__area", "task__worker").order_by("row")
    labels = dict(Result.choices)
    matched = dict(VerificationEntry.MatchedBy.choices)

    sources = dict(
        sources_of(rows_of.values("task_id"))
        .exclude(list=vlist)
        .values("task_id")
        .annotate(n=Count("id"))
        .values_list("task_id", "n")
    )

    def rows():
        for entry in entries.iterator(chunk_size=CHUNK):
            task = entry.task
            yield [
                entry.row,
                entry.name,
                entry.id_number_masked,
                entry.phone_masked,
                entry.reason,
                str(matched.get(entry.matched_by, "")),
                task.area.name,
                task.worker.name if task.worker else "",
                task.deadline.isoformat(),
                str(labels.get(task.result, _("Not verified yet"))),
                task.result_note,
                timezone_text(task.verified_at),
                sources.get(task.pk, 0),
            ]

    return write_table(stream, title=_("Verification results"), columns=columns, rows=rows())


def timezone_text(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""
