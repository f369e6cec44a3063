"""Pages of the resident import: upload, template, the job's progress and preview, confirm."""

from pathlib import Path

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from fangkong.areas.models import Area, Level
from fangkong.areas.selectors import breadcrumbs
from fangkong.audit.services import record
from fangkong.people import import_jobs
from fangkong.people.import_jobs import PERM, jobs_visible_to
from fangkong.people.import_workbooks import template_fields, write_rejected, write_template
from fangkong.people.imports import FIELD, FIELDS, import_grids, search_kinds
from fangkong.people.models import ImportJob, KeyGroup
from fangkong.spreadsheets import fold, xlsx_response
from fangkong.web import StyledForm, call_service, require_perm, scoped_or_404

PROBLEMS_PER_PAGE = 50
RECENT_JOBS = 20


class ResidentImportForm(StyledForm):
    file = forms.FileField(
        label=gettext_lazy("spreadsheet"),
        help_text=gettext_lazy("An .xlsx, .xls, .ods or .csv file (UTF-8 or GBK), at most 50 MB."),
    )
    grid = forms.ModelChoiceField(
        queryset=Area.objects.none(),
        required=False,
        label=gettext_lazy("Into the grid"),
        empty_label=gettext_lazy("The grid named on each row (a 网格 column)"),
        help_text=gettext_lazy("For a sheet without a grid column: everybody goes into this grid."),
    )

    def __init__(self, *args, area, user, **kwargs):
        super().__init__(*args, **kwargs)
        if area.level == Level.COMMUNITY:
            self.fields["grid"].queryset = import_grids(user, area).order_by("code")
        else:
            del self.fields["grid"]


def sample_hint(values):
    """A few values of a column, and whether they name key groups (a survey's category)."""
    if not values:
        return ""
    hint = _("For example: %(values)s") % {"values": "、".join(values)}
    if any(search_kinds(value) for value in values):
        hint += " " + _("These name key groups: read the column as “%(field)s”.") % {
            "field": FIELD["category"].label
        }
    return hint


class ImportColumnsForm(StyledForm):
    """What each header the import does not know holds: a field of the survey table, or
    nothing. The fields the file already has a column for are not offered."""

    def __init__(self, *args, job, **kwargs):
        super().__init__(*args, **kwargs)
        columns = job.file_columns or {}
        own = import_jobs.own_fields(job)
        choices = [("", _("Ignore this column"))]
        choices += [(f.key, f.label) for f in FIELDS if f.key not in own]
        self.headers = columns.get("unknown", [])
        samples = columns.get("samples", {})
        for index, header in enumerate(self.headers):
            self.fields[f"column-{index}"] = forms.ChoiceField(
                label=header,
                choices=choices,
                required=False,
                initial=job.columns.get(fold(header), ""),
                help_text=sample_hint(samples.get(header, [])),
                widget=forms.Select(attrs={"class": "form-select"}),
            )

    def chosen(self):
        """{header as written: field key or ""}."""
        return {
            header: self.cleaned_data[f"column-{index}"]
            for index, header in enumerate(self.headers)
        }


def import_area(request, code):
    """The area of an import page: 404 if not viewable, 403 without the import permission.
    Only a grid or a community takes a file; the upload says so for any other area."""
    return scoped_or_404(Area, request.user, perm=PERM, code=code)


@login_required
def resident_import(request, code):
    """Upload a survey table into a grid or a community; the recent imports there."""
    area = import_area(request, code)
    form = ResidentImportForm(
        request.POST or None, request.FILES or None, area=area, user=request.user
    )
    if form.is_valid():
        job = call_service(
            form,
            import_jobs.submit,
            actor=request.user,
            area=form.cleaned_data.get("grid") or area,
            upload=form.cleaned_data["file"],
        )
        if job:
            return redirect("resident_import_job", pk=job.pk)
    jobs = (
        jobs_visible_to(request.user)
        .within(area)
        .defer("data", "rejected_rows", "problems")
        .select_related("area", "created_by__worker")[:RECENT_JOBS]
    )
    return render(
        request,
        "people/import_start.html",
        {
            "area": area,
            "form": form,
            "jobs": jobs,
            "columns": [str(f.label) for f in template_fields(area)],
            "breadcrumbs": breadcrumbs(area),
        },
    )


@login_required
def resident_import_template(request, code):
    area = import_area(request, code)
    response = xlsx_response(_("resident survey template") + ".xlsx")
    write_template(response, area, user=request.user)
    return response


def job_or_404(request, pk, *, with_rejected=False):
    jobs = jobs_visible_to(request.user).select_related("area", "created_by")
    jobs = jobs.defer("data") if with_rejected else jobs.defer("data", "rejected_rows")
    job = get_object_or_404(jobs, pk=pk)
    require_perm(request.user, PERM, job)
    return job


@login_required
def resident_import_job(request, pk):
    """A job's progress while it runs (the status part polls itself), then its preview.
    A job silent for longer than the timeout is recovered here too (its worker was lost)."""
    job = job_or_404(request, pk)
    if job.stalled and import_jobs.recover_job(job):
        job = job_or_404(request, pk)
    context = {
        "job": job,
        "area": job.area,
        "columns_form": ImportColumnsForm(job=job)
        if job.state == ImportJob.State.READY and (job.file_columns or {}).get("unknown")
        else None,
        "kinds": [
            (KeyGroup.Kind(kind).label, n) for kind, n in job.counts.get("kinds", {}).items()
        ],
        "problems": Paginator(job.problems, PROBLEMS_PER_PAGE).get_page(request.GET.get("page")),
        "rejected": any(p["row"] for p in job.problems),
        "breadcrumbs": breadcrumbs(job.area),
        "running": job.state in (ImportJob.State.VALIDATING, ImportJob.State.COMMITTING),
    }
    if request.htmx:
        return render(request, "people/import_job_status.html", context)
    return render(request, "people/import_job.html", context)


@login_required
@require_POST
def resident_import_commit(request, pk):
    """Confirm a checked import, or try again one whose worker was lost (重试)."""
    job = job_or_404(request, pk)
    service = import_jobs.retry if job.retryable else import_jobs.commit
    try:
        job = service(actor=request.user, job=job)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if job.state == ImportJob.State.DONE:
            messages.success(request, _("The residents were imported."))
    return redirect("resident_import_job", pk=job.pk)


@login_required
@require_POST
def resident_import_columns(request, pk):
    """Read the file again with what the uploader says its unknown columns hold."""
    job = job_or_404(request, pk)
    form = ImportColumnsForm(request.POST, job=job)
    if form.is_valid():
        try:
            import_jobs.choose_columns(actor=request.user, job=job, columns=form.chosen())
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, _("Choose a field of the survey table for each column."))
    return redirect("resident_import_job", pk=job.pk)


@login_required
@require_POST
def resident_import_cancel(request, pk):
    job = job_or_404(request, pk)
    try:
        import_jobs.cancel(actor=request.user, job=job)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("resident_import_job", pk=job.pk)


@login_required
def resident_import_rejected(request, pk):
    """The rejected rows as they were in the file, with the reasons, to fix and upload again."""
    job = job_or_404(request, pk, with_rejected=True)
    rows = len({p["row"] for p in job.problems if p["row"]})
    if not rows:
        raise Http404
    # The rows hold whole ID numbers and phones: a download is an export, and audited.
    record(
        actor=request.user,
        action="export",
        target=job,
        area=job.area,
        list="rejected import rows",
        rows=rows,
    )
    response = xlsx_response(f"{Path(job.file_name).stem}-{_('rejected rows')}.xlsx")
    write_rejected(response, job)
    return response
