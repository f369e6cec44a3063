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

from fangkong.areas.models import Area
from fangkong.areas.selectors import breadcrumbs
from fangkong.audit.services import record
from fangkong.people import import_jobs
from fangkong.people.import_jobs import PERM, jobs_visible_to
from fangkong.people.import_workbooks import template_fields, write_rejected, write_template
from fangkong.people.models import ImportJob
from fangkong.spreadsheets import xlsx_response
from fangkong.web import StyledForm, call_service, require_perm, scoped_or_404

PROBLEMS_PER_PAGE = 50
RECENT_JOBS = 20


class ResidentImportForm(StyledForm):
    file = forms.FileField(
        label=gettext_lazy("spreadsheet"),
        help_text=gettext_lazy("An .xlsx, .xls, .ods or .csv file (UTF-8 or GBK), at most 50 MB."),
    )


def import_area(request, code):
    """The area of an import page: 404 if not viewable, 403 without the import permission.
    Only a grid or a community takes a file; the upload says so for any other area."""
    return scoped_or_404(Area, request.user, perm=PERM, code=code)


@login_required
def resident_import(request, code):
    """Upload a survey table into a grid or a community; the recent imports there."""
    area = import_area(request, code)
    form = ResidentImportForm(request.POST or None, request.FILES or None)
    if form.is_valid():
        job = call_service(
            form,
            import_jobs.submit,
            actor=request.user,
            area=area,
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
