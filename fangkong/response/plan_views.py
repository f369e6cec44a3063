"""Pages of plans and responses: an area's plan (documents, measures by level with the
extras 加码, what the areas below added), adding a measure, uploading a document, an area's
response with its tasks, a task marked done with evidence, the lists the home cards count,
and the downloads of documents and evidence (scoped views: uploads are internal, never
public media)."""

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from fangkong.areas.models import Area, is_area_code, path_of_code
from fangkong.areas.selectors import breadcrumbs
from fangkong.response import response_services, selectors
from fangkong.response.forms import DocumentForm, MeasureForm, TaskDoneForm
from fangkong.response.models import EmergencyResponse, MeasureTask, PlanDocument, RiskLevel
from fangkong.response.permissions import (
    ADD_MEASURE,
    UPLOAD_DOCUMENT,
    VIEW_DOCUMENTS,
    VIEW_PLAN,
    VIEW_RESPONSE,
    VIEW_TASK,
)
from fangkong.response.task_views import reassign_form, with_states
from fangkong.web import CappedPaginator, call_service, require_list, scoped_or_404

PLAN_LEVELS = [RiskLevel.MEDIUM, RiskLevel.HIGH]
PER_PAGE = 50


@login_required
def plan_page(request, code):
    user = request.user
    area = scoped_or_404(Area, user, code=code)
    require_list(user, VIEW_PLAN)
    measures = list(selectors.plan_of(area))
    context = {
        "area": area,
        "breadcrumbs": breadcrumbs(area),
        "levels": [
            (level, level.label, [m for m in measures if m.level == level]) for level in PLAN_LEVELS
        ],
        "added_below": [
            (child, list(rows))
            for child, rows in groupby(selectors.added_below(user, area), key=lambda m: m.area)
        ],
        "response": selectors.active_response(area),
        "may_add": user.has_perm(ADD_MEASURE, area),
        "may_upload": user.has_perm(UPLOAD_DOCUMENT, area),
    }
    if user.has_perm(VIEW_DOCUMENTS, area):
        documents = list(selectors.documents_of(user, area))
        current = selectors.current_documents(documents)
        context["documents"] = [
            (kind, label, current.get(kind), [d for d in documents if d.kind == kind][1:])
            for kind, label in PlanDocument.Kind.choices
        ]
    return render(request, "response/plan.html", context)


def _form_page(request, area, form, title, save):
    """A form on an area's plan whose valid POST runs `save(**data)`; back to the plan."""
    if form.is_valid() and call_service(form, save, **form.cleaned_data):
        messages.success(request, _("Saved."))
        return redirect("response_plan", area.code)
    return render(request, "form.html", {"form": form, "area": area, "title": title})


@login_required
def measure_add(request, code):
    area = scoped_or_404(Area, request.user, perm=ADD_MEASURE, code=code)
    form = MeasureForm(request.POST or None)
    return _form_page(
        request,
        area,
        form,
        _("Add a measure to the plan of %(area)s") % {"area": area},
        lambda **data: response_services.add_measure(actor=request.user, area=area, **data),
    )


@login_required
def document_upload(request, code):
    area = scoped_or_404(Area, request.user, perm=UPLOAD_DOCUMENT, code=code)
    form = DocumentForm(request.POST or None, request.FILES or None)
    return _form_page(
        request,
        area,
        form,
        _("Upload a plan of %(area)s") % {"area": area},
        lambda **data: response_services.upload_document(actor=request.user, area=area, **data),
    )


def _download(field, name):
    if not field:
        raise Http404
    try:
        stream = field.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(stream, as_attachment=True, filename=name)


@login_required
def document_download(request, pk):
    document = scoped_or_404(PlanDocument, request.user, pk=pk)
    return _download(document.file, document.name)


# ---------------------------------------------------------------- responses


def response_context(user, response, area):
    tasks = with_states(selectors.tasks_of(user, response), user)
    return {
        "response": response,
        "tasks": tasks,
        "done": sum(task.done for task in tasks),
        "overdue": sum(task.is_overdue for task in tasks),
        "area": area,
        "breadcrumbs": breadcrumbs(area),
    }


@login_required
def response_area(request, code):
    """The response active on the area or above it, with the tasks the user may see, and the
    area's own past responses."""
    user = request.user
    area = scoped_or_404(Area, user, code=code)
    require_list(user, VIEW_RESPONSE)
    response = selectors.active_response(area)
    context = response_context(user, response, area) if response else {"area": area}
    context["breadcrumbs"] = breadcrumbs(area)
    context["past"] = selectors.responses_of(user, area).exclude(ended_at=None)[:20]
    return render(request, "response/response.html", context)


@login_required
def response_detail(request, pk):
    response = scoped_or_404(EmergencyResponse, request.user, pk=pk)
    context = response_context(request.user, response, response.area)
    return render(request, "response/response.html", context)


def within_path(request):
    """The path of the area `?within=<code>` names, or None."""
    within = request.GET.get("within", "")
    return path_of_code(within) if is_area_code(within) else None


def without_page(request):
    query = request.GET.copy()
    query.pop("page", None)
    return query


@login_required
def response_list(request):
    """The active responses of the user's areas (`?within=<code>`), highest level first."""
    user = request.user
    require_list(user, VIEW_RESPONSE)
    responses = selectors.active_responses(user)
    path = within_path(request)
    if path:
        responses = responses.filter(area_path__under=path)
    page = CappedPaginator(responses, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request, "response/responses.html", {"page": page, "query": without_page(request)}
    )


@login_required
def task_list(request):
    """The open tasks of the user's areas: `?mine=1` their own, `?overdue=1` only those past
    their deadline, `?within=<code>` of one area (what the home cards count)."""
    user = request.user
    require_list(user, VIEW_TASK)
    tasks = selectors.tasks(user)
    path = within_path(request)
    if path:
        tasks = tasks.filter(area_path__under=path)
    mine, late = request.GET.get("mine") == "1", request.GET.get("overdue") == "1"
    if mine:
        tasks = selectors.owned_by(tasks, user)
    tasks = selectors.overdue(tasks) if late else selectors.open_tasks(tasks)
    page = CappedPaginator(tasks, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "response/tasks.html",
        {
            "page": page,
            "query": without_page(request),
            "tasks": with_states(page.object_list, user),
            "mine": mine,
            "late": late,
        },
    )


@login_required
def task_page(request, pk):
    """A task, and for its owner or a worker following the area, the form marking it done."""
    user = request.user
    task = scoped_or_404(MeasureTask, user, pk=pk)
    if request.method == "POST" and not response_services.may_complete(user, task):
        raise PermissionDenied
    form = TaskDoneForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        done = call_service(
            form,
            response_services.complete_task,
            actor=user,
            task=task,
            note=form.cleaned_data["note"],
            evidence=form.cleaned_data["evidence"],
        )
        if done:
            messages.success(request, _("Marked done."))
            return redirect("response_task", task.pk)
    (task,) = with_states([task], user)
    return render(
        request,
        "response/task.html",
        {
            "task": task,
            "form": form if task.may_complete else None,
            "area": task.area,
            "breadcrumbs": breadcrumbs(task.area),
            "response_url": reverse("response_area", args=[task.area.code]),
            "reassign_form": reassign_form(user, task),
        },
    )


@login_required
def task_evidence(request, pk):
    task = scoped_or_404(MeasureTask, request.user, pk=pk)
    return _download(task.evidence, task.evidence.name.rsplit("/", 1)[-1])
