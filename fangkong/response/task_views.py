"""Reassigning a measure task from its page (htmx: the form is swapped in place, and the
task's state card with it; without script: a POST and a redirect)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fangkong.response import response_services
from fangkong.response.forms import ReassignForm
from fangkong.response.models import MeasureTask
from fangkong.response.task_services import may_reassign, reassign_task
from fangkong.web import call_service, scoped_or_404


def with_states(tasks, user):
    """Tasks with `overdue` and whether the user may mark them done, for the cards."""
    now = timezone.now()
    rows = list(tasks)
    for task in rows:
        task.is_overdue = task.overdue(now) and task.response.ended_at is None
        task.may_complete = not task.done and response_services.may_complete(user, task)
    return rows


def reassign_form(user, task):
    """The form for a worker who may reassign an open task of an active response, else None."""
    if task.done or task.response.ended_at is not None or not may_reassign(user, task):
        return None
    return ReassignForm(user=user, task=task)


@login_required
@require_POST
def task_reassign(request, pk):
    user = request.user
    task = scoped_or_404(MeasureTask, user, pk=pk)
    if not may_reassign(user, task):
        raise PermissionDenied
    form = ReassignForm(request.POST, user=user, task=task)
    done = form.is_valid() and call_service(
        form,
        reassign_task,
        actor=user,
        task=task,
        owner_kind=form.cleaned_data["owner_kind"],
        owner=form.cleaned_data["owner"],
        due_at=form.cleaned_data["due_at"],
        reason=form.cleaned_data["reason"],
    )
    if not request.htmx:
        if done:
            messages.success(request, _("Reassigned."))
            return redirect("response_task", task.pk)
        messages.error(request, " ".join(m for ms in form.errors.values() for m in ms))
        return redirect("response_task", task.pk)
    if done:
        # The state card comes along (out of band) with a fresh form for the next change.
        (task,) = with_states([scoped_or_404(MeasureTask, user, pk=pk)], user)
        return render(
            request,
            "response/task_reassigned.html",
            {"task": task, "form": ReassignForm(user=user, task=task), "saved": True},
        )
    # htmx swaps only 2xx answers: the refused form comes back as one, with its errors.
    return render(request, "response/task_reassign.html", {"task": task, "form": form})
