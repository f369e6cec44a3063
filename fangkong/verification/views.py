"""Pages of verification lists: upload, a list's progress and results, a worker's tasks,
the queue of people nobody matched, a task's result."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fangkong.areas.models import Area, Level, is_area_code
from fangkong.areas.pages import within_area
from fangkong.areas.selectors import breadcrumbs
from fangkong.audit.services import record
from fangkong.people.models import Resident
from fangkong.people.selectors import search_residents
from fangkong.scope import scope_paths
from fangkong.spreadsheets import xlsx_response
from fangkong.verification import services
from fangkong.verification.exports import write_results, write_template
from fangkong.verification.forms import PassDownForm, ResultForm, UploadForm
from fangkong.verification.models import VerificationList, VerificationTask
from fangkong.verification.selectors import (
    LIST_VIEW,
    TASK_VIEW,
    list_progress,
    open_tasks,
    overdue,
    sources_of,
    visible_lists,
)
from fangkong.web import CappedPaginator, call_service, require_list, scoped_or_404

EXPORT = "verification.export_verificationlist"

PER_PAGE = 50
# Residents offered to name a task's person: a search narrow enough to pick from on a phone.
CANDIDATES = 10


@login_required
def list_index(request):
    """The lists of the user's areas, newest first."""
    require_list(request.user, LIST_VIEW)
    lists = VerificationList.objects.visible_to(request.user, LIST_VIEW).select_related("area")
    area = within_area(request)
    if area:
        lists = lists.within(area)
    page = CappedPaginator(lists.defer("problems"), PER_PAGE).get_page(request.GET.get("page"))
    uploadable = list(
        Area.objects.visible_to(request.user, services.UPLOAD)
        .filter(path__in=scope_paths(request.user, services.UPLOAD))
        .order_by("path")
    )
    return render(
        request,
        "verification/list_index.html",
        {"page": page, "area": area, "uploadable": uploadable},
    )


@login_required
def upload(request, code):
    area = scoped_or_404(Area, request.user, perm=services.UPLOAD, code=code)
    form = UploadForm(request.POST or None, request.FILES or None)
    if form.is_valid():
        vlist = call_service(
            form,
            services.upload_list,
            actor=request.user,
            area=area,
            name=form.cleaned_data["name"],
            deadline=form.cleaned_data["deadline"],
            upload=form.cleaned_data["file"],
        )
        if vlist:
            return redirect("verification_list_detail", pk=vlist.pk)
    return render(
        request,
        "verification/upload.html",
        {"form": form, "area": area, "breadcrumbs": breadcrumbs(area)},
    )


@login_required
def template(request):
    require_list(request.user, services.UPLOAD)
    response = xlsx_response(_("verification list template") + ".xlsx")
    write_template(response)
    return response


@login_required
def list_detail(request, pk):
    """A list's counts, its refused rows and progress per child area; the progress part
    refreshes itself (htmx)."""
    vlist = scoped_or_404(VerificationList, request.user, pk=pk)
    total, children, own = list_progress(request.user, vlist)
    context = {
        "vlist": vlist,
        "area": vlist.area,
        "total": total,
        "children": children,
        "own": own,
        "breadcrumbs": breadcrumbs(vlist.area),
        "can_export": request.user.has_perm(EXPORT, vlist),
    }
    if request.htmx:
        return render(request, "verification/progress.html", context)
    return render(request, "verification/list_detail.html", context)


@login_required
def list_export(request, pk):
    vlist = scoped_or_404(VerificationList, request.user, perm=EXPORT, pk=pk)
    response = xlsx_response(f"{vlist.name}-{_('results')}.xlsx")
    rows = write_results(response, request.user, vlist)
    record(
        actor=request.user,
        action="export",
        target=vlist,
        area=vlist.area,
        list="verification results",
        rows=rows,
    )
    return response


def task_page(request, tasks, *, title, queue=False):
    area = within_area(request)
    if area:
        tasks = tasks.within(area)
    if request.GET.get("mine") and getattr(request.user, "worker", None):
        tasks = tasks.filter(worker=request.user.worker)
    if request.GET.get("overdue") == "1":
        tasks = overdue(tasks)
    tasks = tasks.select_related("area", "worker").order_by("deadline", "area_path", "id")
    page = CappedPaginator(tasks, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "verification/task_list.html",
        {
            "page": page,
            "area": area,
            "title": title,
            "queue": queue,
            "query": query,
            "today": timezone.localdate(),
        },
    )


@login_required
def task_list(request):
    """The open tasks of the user's areas (a grid worker's: their grid's), soonest due first;
    `?done=1` shows those verified."""
    require_list(request.user, TASK_VIEW)
    done = request.GET.get("done") == "1"
    if done:
        tasks = VerificationTask.objects.visible_to(request.user, TASK_VIEW).exclude(result="")
    else:
        tasks = open_tasks(request.user)
    return task_page(
        request, tasks, title=_("Verified tasks") if done else _("My verification tasks")
    )


@login_required
def queue(request):
    """People nobody matched in the registry, waiting for a worker of their area to find them."""
    require_list(request.user, TASK_VIEW)
    tasks = open_tasks(request.user).filter(resident__isnull=True)
    return task_page(request, tasks, title=_("Unmatched people"), queue=True)


def sources(user, task):
    """The rows naming the task's person. A list uploaded above the user's areas is not theirs
    to see: its row says what to verify and when the list came, not the list's name."""
    entries = list(sources_of([task]).select_related("list").order_by("list_id", "row"))
    visible = visible_lists(user, (e.list_id for e in entries))
    for entry in entries:
        entry.list_visible = entry.list_id in visible
    return entries


def pass_children(user, task):
    """The areas just below the task's that it can be passed to."""
    if task.area.level == Level.GRID:
        return []
    areas = Area.objects.visible_to(user, services.ASSIGN)
    return list(areas.filter(parent=task.area).order_by("code"))


def candidates(user, task, text):
    """The residents of the task's area that a search for `text` finds (none for no text)."""
    if not str(text or "").strip():
        return []
    residents = (
        Resident.objects.visible_to(user, services.ASSIGN)
        .within(task.area)
        .select_related("household__building", "area")
    )
    return list(search_residents(residents, text)[:CANDIDATES])


def task_context(request, task, result_form=None, pass_form=None):
    user = request.user
    can_verify = user.has_perm(services.VERIFY, task)
    can_pass = task.is_open and user.has_perm(services.ASSIGN, task)
    if can_pass and pass_form is None:
        # The name on the list is the first search: namesakes of the area are offered at once.
        pass_form = PassDownForm(children=pass_children(user, task), initial={"q": task.name})
    query = pass_form["q"].value() if can_pass else ""
    return {
        "task": task,
        "area": task.area,
        "breadcrumbs": breadcrumbs(task.area),
        "entries": sources(user, task),
        "result_form": (result_form or ResultForm(initial={"result": task.result}))
        if can_verify
        else None,
        "pass_form": pass_form if can_pass else None,
        "candidates": candidates(user, task, query) if can_pass else [],
        "can_monitor": task.resident_id and user.has_perm("monitoring.add_monitoringplan", task),
    }


@login_required
@require_POST
def task_candidates(request, pk):
    """The residents a search of the pass-down form finds (htmx, as the worker types). The
    search is posted: it may be a whole ID number or phone, which must not travel in a URL."""
    task = scoped_or_404(VerificationTask, request.user, perm=services.ASSIGN, pk=pk)
    query = request.POST.get("q", "")[:50]
    return render(
        request,
        "verification/task_candidates.html",
        {"candidates": candidates(request.user, task, query), "query": query},
    )


@login_required
def task_detail(request, pk):
    task = scoped_or_404(VerificationTask, request.user, pk=pk)
    return render(request, "verification/task_detail.html", task_context(request, task))


@login_required
@require_POST
def task_result(request, pk):
    task = scoped_or_404(VerificationTask, request.user, perm=services.VERIFY, pk=pk)
    form = ResultForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        done = call_service(
            form,
            services.record_result,
            actor=request.user,
            task=task,
            result=data["result"],
            note=data["result_note"],
            start_monitoring=data["start_monitoring"],
            category=data["category"],
        )
        if done:
            return redirect("verification_task_detail", pk=done.pk)
    return render(
        request,
        "verification/task_detail.html",
        task_context(request, task, result_form=form),
        status=400,
    )


@login_required
@require_POST
def task_pass_down(request, pk):
    task = scoped_or_404(VerificationTask, request.user, perm=services.ASSIGN, pk=pk)
    form = PassDownForm(request.POST, children=pass_children(request.user, task))
    if form.is_valid():
        code, resident_id = form.cleaned_data["area"], form.cleaned_data["resident"]
        area = resident = None
        try:
            if resident_id:
                resident = (
                    Resident.objects.visible_to(request.user, services.ASSIGN)
                    .filter(pk=resident_id)
                    .first()
                )
                if resident is None:
                    raise ValidationError({"resident": _("Choose a resident of the task's area.")})
            elif code:
                area = (
                    Area.objects.visible_to(request.user, services.ASSIGN).filter(code=code).first()
                    if is_area_code(code)
                    else None
                )
                if area is None:
                    raise ValidationError({"area": _("Choose an area below the task's area.")})
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                form.add_error(field, messages)
        else:
            done = call_service(
                form,
                services.pass_down,
                actor=request.user,
                task=task,
                area=area,
                resident=resident,
            )
            if done:
                return redirect("verification_task_detail", pk=done.pk)
    if not VerificationTask.objects.visible_to(request.user, TASK_VIEW).filter(pk=task.pk).exists():
        raise Http404
    return render(
        request,
        "verification/task_detail.html",
        task_context(request, task, pass_form=form),
        status=400,
    )
