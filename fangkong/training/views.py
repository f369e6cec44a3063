"""Pages of trainings and drills: the list, recording one (with its attendees and
materials), a training's page, a worker's record and an area's coverage per role."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fangkong import dates
from fangkong.areas.models import Area, Worker
from fangkong.areas.selectors import breadcrumbs, workers_of_areas
from fangkong.training import coverage as rollup
from fangkong.training import selectors, services
from fangkong.training.filters import TrainingFilter
from fangkong.training.forms import AssessmentForm, AttendeesForm, MaterialsForm, TrainingForm
from fangkong.training.models import Training
from fangkong.training.permissions import RECORD_TRAINING, VIEW_TRAINING
from fangkong.web import call_service, list_page, parse_day, require_perm, scoped_or_404

MOST_AREAS = 300
VIEW_WORKER = "areas.view_worker"


def hosts_of(user):
    """The counties, townships and communities the user may record trainings in."""
    return list(
        Area.objects.visible_to(user, RECORD_TRAINING)
        .filter(level__in=services.TRAINING_LEVELS)
        .order_by("path")[:MOST_AREAS]
    )


def workers_in(user, area):
    """The active workers of the area's subtree the user may see: the attendees to offer."""
    return list(
        Worker.objects.visible_to(user, VIEW_WORKER)
        .within(area)
        .filter(is_active=True)
        .select_related("area")
        .order_by("area_path", "name")[: services.MOST_ATTENDEES]
    )


def chosen_workers(workers, ids):
    by_id = {w.pk: w for w in workers}
    return [by_id[i] for i in ids if i in by_id]


@login_required
def training_list(request):
    user = request.user
    return list_page(
        request,
        VIEW_TRAINING,
        TrainingFilter,
        selectors.trainings(user),
        "training/trainings.html",
        may_record=user.has_perm(RECORD_TRAINING),
    )


@login_required
def training_new(request):
    """Record a training or drill held by the chosen area, with the workers who attended."""
    user = request.user
    areas = hosts_of(user)
    if not areas:
        raise PermissionDenied(_("You may not do this here."))
    code = request.POST.get("area") or request.GET.get("area")
    area = next((a for a in areas if a.code == code), areas[0])
    workers = workers_in(user, area)
    form = TrainingForm(request.POST or None, request.FILES or None, workers=workers)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["attendees"] = chosen_workers(workers, data["attendees"])
        training = call_service(form, services.record_training, actor=user, area=area, **data)
        if training:
            messages.success(request, _("Training recorded."))
            return redirect("training_detail", pk=training.pk)
    return render(
        request,
        "training/training_form.html",
        {"form": form, "areas": areas, "area": area},
    )


@login_required
def training_detail(request, pk):
    user = request.user
    training = scoped_or_404(Training, user, pk=pk)
    may = user.has_perm(RECORD_TRAINING, training)
    present = selectors.attendees(user, training)
    shown = {a.worker_id for a in present}
    return render(
        request,
        "training/training.html",
        {
            "training": training,
            "breadcrumbs": breadcrumbs(training.area),
            "attendances": present,
            "may_act": may,
            "attendees_form": AttendeesForm(
                workers=[w for w in workers_in(user, training.area) if w.pk not in shown]
            )
            if may
            else None,
            "materials_form": MaterialsForm() if may else None,
            "assessment_form": AssessmentForm(attendances=present) if may and present else None,
            "assessed": sum(a.passed is not None for a in present),
            "passed": sum(a.passed is True for a in present),
        },
    )


@login_required
@require_POST
def training_assessment(request, pk):
    """Record each attendee's assessment result at once."""
    user = request.user
    training = scoped_or_404(Training, user, perm=RECORD_TRAINING, pk=pk)
    form = AssessmentForm(request.POST, attendances=selectors.attendees(user, training))
    if form.is_valid() and call_service(
        form,
        services.record_assessment,
        actor=user,
        training=training,
        results=form.results(),
    ):
        messages.success(request, _("Assessment saved."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("training_detail", pk=pk)


@login_required
@require_POST
def training_attendees(request, pk):
    user = request.user
    training = scoped_or_404(Training, user, perm=RECORD_TRAINING, pk=pk)
    workers = workers_in(user, training.area)
    form = AttendeesForm(request.POST, workers=workers)
    if form.is_valid() and call_service(
        form,
        services.add_attendees,
        actor=user,
        training=training,
        attendees=chosen_workers(workers, form.cleaned_data["attendees"]),
    ):
        messages.success(request, _("Attendees added."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("training_detail", pk=pk)


@login_required
@require_POST
def training_attendee_remove(request, pk):
    user = request.user
    training = scoped_or_404(Training, user, perm=RECORD_TRAINING, pk=pk)
    worker_id = request.POST.get("worker", "")
    worker = (
        Worker.objects.visible_to(user, VIEW_WORKER)
        .filter(pk=int(worker_id) if worker_id.isdigit() and len(worker_id) < 19 else 0)
        .first()
    )
    if worker is None:
        messages.error(request, _("Choose an attendee."))
    else:
        services.remove_attendee(actor=user, training=training, worker=worker)
        messages.success(request, _("Attendee removed."))
    return redirect("training_detail", pk=pk)


@login_required
def training_materials(request, pk):
    """The materials of a training, to whoever may read it."""
    training = scoped_or_404(Training, request.user, pk=pk)
    if not training.materials:
        raise Http404
    try:
        stream = training.materials.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(stream, filename=training.materials.name.rsplit("/", 1)[-1])


@login_required
@require_POST
def training_materials_upload(request, pk):
    user = request.user
    training = scoped_or_404(Training, user, perm=RECORD_TRAINING, pk=pk)
    form = MaterialsForm(request.POST, request.FILES)
    if form.is_valid() and call_service(
        form,
        services.attach_materials,
        actor=user,
        training=training,
        materials=form.cleaned_data["materials"],
    ):
        messages.success(request, _("Materials attached."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("training_detail", pk=pk)


@login_required
def worker_trainings(request, pk):
    """A worker's record: the trainings and drills they attended, latest first."""
    user = request.user
    worker = get_object_or_404(workers_of_areas(user).select_related("area"), pk=pk)
    require_perm(user, VIEW_TRAINING, worker)
    return render(
        request,
        "training/worker_record.html",
        {
            "worker": worker,
            "breadcrumbs": breadcrumbs(worker.area),
            "attendances": selectors.record_of(user, worker),
        },
    )


def period_of(request):
    """The coverage period of the query (since, until, errors), the last year by default."""
    since, until = selectors.default_period()
    since, since_error = parse_day(request.GET.get("since"), since, dates.RECORDED_DAY)
    until, until_error = parse_day(request.GET.get("until"), until, dates.RECORDED_DAY)
    errors = [e for e in (since_error, until_error) if e]
    if since > until:
        errors.append(_("The end cannot come before the start."))
        since, until = selectors.default_period()
    return since, until, errors


def grouping_of(request):
    by = request.GET.get("by")
    return by if by in (rollup.BY_ROLE, rollup.BY_AFFILIATION) else rollup.BY_ROLE


@login_required
def training_coverage(request, code):
    """Of the active workers of each role, the share trained in the period: the area and
    each child area."""
    user = request.user
    area = scoped_or_404(Area, user, perm=VIEW_TRAINING, code=code)
    since, until, errors = period_of(request)
    kind = request.GET.get("kind") if request.GET.get("kind") in Training.Kind.values else ""
    by = grouping_of(request)
    found = selectors.coverage(
        user, area, selectors.children_of(user, area), since=since, until=until, kind=kind, by=by
    )
    return render(
        request,
        "training/coverage.html",
        {
            "area": area,
            "breadcrumbs": breadcrumbs(area),
            "coverage": found,
            "since": since,
            "until": until,
            "errors": errors,
            "kind": kind,
            "kinds": Training.Kind.choices,
            "by": by,
            "marks": [("trained", _("trained")), ("passed", _("passed the assessment"))],
            "query": request.GET.urlencode(),
        },
    )
