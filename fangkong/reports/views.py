"""Pages of daily reports: an area's day (figures, submission, who has not reported), the
printable table and workbooks, and the trend."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fangkong import dates
from fangkong.areas.models import Area, Level
from fangkong.areas.selectors import breadcrumbs
from fangkong.reports import exports, registry, selectors, services, tables
from fangkong.reports.deadlines import State
from fangkong.reports.forms import AmendForm, RangeForm, SubmitForm
from fangkong.reports.models import REPORTING_LEVELS
from fangkong.scope import scope_paths
from fangkong.spreadsheets import XLSX_TYPE
from fangkong.web import call_service, parse_day, require_list, scoped_or_404

VIEW = "reports.view_dailyreport"


def reporting_area(request, code):
    """An area that reports, in the user's scope, whose reports the user may read: one they
    cannot see is a 404, one they see without the reports' permission a 403."""
    area = scoped_or_404(Area, request.user, perm=VIEW, code=code)
    if area.level not in REPORTING_LEVELS:
        raise Http404
    return area


def default_day():
    """Yesterday: the date whose report is due this morning."""
    return timezone.localdate() - datetime.timedelta(days=1)


def report_day(text):
    """The report day asked for and None, else yesterday and why the one asked is refused."""
    return parse_day(text, default_day(), dates.REPORT_DAY)


def day_url(area, day):
    return f"{reverse('report_area', args=[area.code])}?day={day.isoformat()}"


def current_figures(area, overview, now):
    """The figures the area's page shows before it is sent: a community's live ones, else
    the sum of its communities' reports."""
    if area.level == Level.COMMUNITY:
        return registry.compute(area, overview.day, now)
    return overview.tally.figures


@login_required
def report_home(request):
    """The first reporting area at the top of the user's roles granting the reports."""
    require_list(request.user, VIEW)
    area = (
        Area.objects.visible_to(request.user, VIEW)
        .filter(path__in=scope_paths(request.user, VIEW), level__in=REPORTING_LEVELS)
        .order_by("path")
        .first()
    )
    if area is None:
        raise PermissionDenied(_("Your role cannot see this list."))
    return redirect("report_area", area.code)


@login_required
def report_area(request, code, submit_form=None, amend_form=None):
    area = reporting_area(request, code)
    day, day_error = report_day(request.GET.get("day") or request.POST.get("day"))
    now = timezone.now()
    overview = selectors.day_overview(area, day, now, user=request.user)
    current = current_figures(area, overview, now)
    shown = overview.report.figures if overview.report else current
    can_submit = services.may_submit(request.user, area)
    listed = registry.catalogue()
    initial = {"day": day, "reviewed": selectors.fingerprint(current)}
    if overview.report:
        initial["note"] = overview.report.note
    context = {
        "area": area,
        "day": day,
        # A refused date shows beside the picker, unless the form sent shows it.
        "day_error": None if submit_form or amend_form else day_error,
        "breadcrumbs": breadcrumbs(area),
        "overview": overview,
        "sections": registry.laid_out(shown, listed),
        "trend_figures": [f for f in registry.all_figures(listed) if f.trend],
        "quiet": not registry.something_happened(current, listed),
        "changed_since_sent": overview.report is not None and overview.report.figures != current,
        "can_submit": can_submit,
        "state_labels": State.LABELS,
        "versions": versions_of(overview.report, registry.all_figures(listed)),
        "previous_day": day - datetime.timedelta(days=1),
        "next_day": day + datetime.timedelta(days=1) if day < timezone.localdate() else None,
        "range_form": RangeForm(initial={"first": day - datetime.timedelta(days=29), "last": day}),
    }
    if can_submit and overview.report is None:
        context["submit_form"] = submit_form or SubmitForm(initial=initial)
    elif can_submit:
        context["amend_form"] = amend_form or AmendForm(initial=initial)
    return render(request, "reports/area_day.html", context)


def versions_of(report, figures):
    """Every version of a sent report, newest first, each with the figures it changed."""
    if report is None or report.version == 1:
        return []
    versions = list(report.versions.select_related("submitted_by__worker"))
    labels = {f.key: f"{f.group} · {f.label}" if f.group else str(f.label) for f in figures}
    for version, before in zip(versions, [*versions[1:], None], strict=True):
        version.changes = [
            (labels.get(key, key), before.figures.get(key, 0), value)
            for key, value in version.figures.items()
            if before is not None and before.figures.get(key, 0) != value
        ]
    return versions


@login_required
@require_POST
def report_submit(request, code):
    return send(request, code, SubmitForm, services.submit_report, _("The daily report was sent."))


@login_required
@require_POST
def report_amend(request, code):
    return send(request, code, AmendForm, services.amend_report, _("The amendment was sent."))


def send(request, code, form_class, service, done):
    area = reporting_area(request, code)
    if not services.may_submit(request.user, area):
        raise PermissionDenied
    form = form_class(request.POST)
    if form.is_valid():
        report = call_service(form, service, actor=request.user, area=area, **form.cleaned_data)
        if report:
            messages.success(request, done)
            return redirect(day_url(area, report.day))
    if "day" in form.errors:  # a hidden field: the page of the default day says why
        return report_area(request, code)
    name = "amend_form" if form_class is AmendForm else "submit_form"
    return report_area(request, code, **{name: form})


def official_day(request, code):
    """The area's day and the totals its official table shows: its report as sent, else
    what it would send now. A refused date is None for the overview."""
    area = reporting_area(request, code)
    day, error = report_day(request.GET.get("day"))
    if error:
        return area, None, None
    now = timezone.now()
    overview = selectors.day_overview(area, day, now, user=request.user)
    totals = overview.report.figures if overview.report else current_figures(area, overview, now)
    return area, overview, totals


def refused_day(request, code):
    """The area's page with the refused date's message, for a table of a date refused."""
    response = report_area(request, code)
    response.status_code = 400
    return response


@login_required
def report_print(request, code):
    area, overview, totals = official_day(request, code)
    if overview is None:
        return refused_day(request, code)
    cols, rows, total = tables.official_rows(overview, totals)
    return render(
        request,
        "reports/print.html",
        {
            "area": area,
            "overview": overview,
            "title": tables.title(overview),
            "header": [
                tables.spans([getattr(c, n) for c in cols]) for n in ("section", "group", "label")
            ],
            "rows": rows,
            "total": total,
            "signature": tables.signature_line(overview),
        },
    )


def xlsx_response(data, filename):
    response = HttpResponse(data, content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@login_required
def report_workbook(request, code):
    area, overview, totals = official_day(request, code)
    if overview is None:
        return refused_day(request, code)
    return xlsx_response(
        tables.workbook(overview, totals), f"{area.name}-{_('daily report')}-{overview.day}.xlsx"
    )


@login_required
def report_export(request, code):
    area = reporting_area(request, code)
    form = RangeForm(request.GET)
    if not form.is_valid():
        messages.error(request, " ".join(m for ms in form.errors.values() for m in ms))
        return redirect(day_url(area, default_day()))
    first, last = form.cleaned_data["first"], form.cleaned_data["last"]
    return xlsx_response(
        exports.range_workbook(request.user, area, first, last),
        f"{area.name}-{_('daily reports')}-{first}-{last}.xlsx",
    )


@login_required
def report_trend(request, code):
    area = reporting_area(request, code)
    day, error = report_day(request.GET.get("day"))
    if error:
        return JsonResponse({"day": [error]}, status=400)
    series = selectors.trend(area, day, user=request.user)
    labels = {f.key: str(f.label) for f in registry.all_figures()}
    return JsonResponse(
        {
            "days": series["days"],
            "completeness": series["completeness"],
            "timeliness": series["timeliness"],
            "figures": [
                {"key": key, "label": labels.get(key, key), "data": data}
                for key, data in series["figures"].items()
            ],
            "labels": {"completeness": _("Completeness %"), "timeliness": _("Timeliness %")},
        }
    )
