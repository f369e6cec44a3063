"""Pages of the case-list import: the upload (the whole file checked first, then all its
cases recorded or none), the import's outcome with the faulty rows, and the error report."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from fangkong.spreadsheets import Column, write_table, xlsx_response
from fangkong.tracing.forms import CaseImportForm
from fangkong.tracing.import_services import MAX_ROWS, import_cases
from fangkong.tracing.imports import FIELDS
from fangkong.tracing.models import CaseImport
from fangkong.tracing.permissions import ADD_CASE
from fangkong.web import call_service, require_list, scoped_or_404

SHOWN_PROBLEMS = 500


@login_required
def case_import(request):
    user = request.user
    require_list(user, ADD_CASE)
    form = CaseImportForm(request.POST or None, request.FILES or None, user=user)
    if form.is_valid():
        job = call_service(form, import_cases, actor=user, **form.cleaned_data)
        if job:
            if job.status == CaseImport.Status.TAKEN:
                messages.success(request, _("%(n)d cases recorded.") % {"n": job.cases_recorded})
            else:
                messages.error(request, _("The list was refused: no case was recorded."))
            return redirect("tracing_import", job.pk)
    return render(
        request,
        "tracing/case_import_form.html",
        {"form": form, "fields": FIELDS, "max_rows": MAX_ROWS},
    )


@login_required
def import_detail(request, pk):
    job = scoped_or_404(CaseImport, request.user, pk=pk)
    return render(
        request,
        "tracing/case_import.html",
        {
            "job": job,
            "problems": job.problems[:SHOWN_PROBLEMS],
            "more": max(len(job.problems) - SHOWN_PROBLEMS, 0),
        },
    )


@login_required
def import_problems(request, pk):
    """The error report: every faulty row's number, column and reason, to fix the file."""
    job = scoped_or_404(CaseImport, request.user, pk=pk)
    response = xlsx_response(_("problems of %(file)s") % {"file": job.file_name} + ".xlsx")
    write_table(
        response,
        title=_("Problems"),
        columns=[Column(_("row"), 6), Column(_("column"), 14), Column(_("reason"), 60)],
        rows=([p["row"], p["column"], p["reason"]] for p in job.problems),
    )
    return response


@login_required
def import_template(request):
    """The list's columns with their Chinese headers, to fill in."""
    require_list(request.user, ADD_CASE)
    response = xlsx_response(_("case list") + ".xlsx")
    write_table(
        response,
        title=_("Cases"),
        columns=[Column(f.aliases[0], f.width, text=f.text) for f in FIELDS],
        rows=[],
        blank_rows=200,
    )
    return response
