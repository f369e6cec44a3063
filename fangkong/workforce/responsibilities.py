"""The pages of an area's division of duties (职责分工, 6.1): the list with a form to add to
it, a row's page to change or remove it, and a printable sheet. Reading needs the read
permission (a 403 without it, a 404 outside the scope); changing, the right to set the
area's duties."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from fangkong.areas.models import Area, Level
from fangkong.areas.selectors import breadcrumbs
from fangkong.web import call_service, require_perm, scoped_or_404
from fangkong.workforce import responsibility_services as services
from fangkong.workforce.models import Responsibility
from fangkong.workforce.permissions import SET_RESPONSIBILITY, VIEW_RESPONSIBILITY
from fangkong.workforce.responsibility_forms import ResponsibilityForm


def _area(user, code):
    area = scoped_or_404(Area, user, perm=VIEW_RESPONSIBILITY, code=code)
    if area.level == Level.GRID:
        raise Http404
    return area


def _rows(user, area):
    return list(services.of_area(user, area))


@login_required
@require_http_methods(["GET", "POST"])
def responsibilities(request, code):
    user = request.user
    area = _area(user, code)
    may_set = user.has_perm(SET_RESPONSIBILITY, area)
    form = None
    if may_set:
        form = ResponsibilityForm(request.POST or None, workers=services.workers_of(user, area))
    elif request.method == "POST":
        require_perm(user, SET_RESPONSIBILITY, area)
    if request.method == "POST" and form.is_valid():
        row = call_service(
            form, services.add_responsibility, actor=user, area=area, **form.cleaned_data
        )
        if row:
            messages.success(request, _("Saved."))
            return redirect("responsibilities", area.code)
    return render(
        request,
        "workforce/responsibilities.html",
        {
            "area": area,
            "rows": _rows(user, area),
            "form": form,
            "may_set": may_set,
            "breadcrumbs": breadcrumbs(area),
        },
    )


@login_required
def responsibilities_print(request, code):
    area = _area(request.user, code)
    return render(
        request,
        "workforce/responsibilities_print.html",
        {"area": area, "rows": _rows(request.user, area), "today": timezone.localdate()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def responsibility(request, pk):
    """Change a row of the division of duties."""
    user = request.user
    row = scoped_or_404(Responsibility, user, perm=SET_RESPONSIBILITY, pk=pk)
    initial = {
        "position": row.position,
        "worker": row.worker_id,
        "role_kind": row.role_kind,
        "duties": row.duties,
        "order": row.order,
    }
    form = ResponsibilityForm(
        request.POST or None, initial=initial, workers=services.workers_of(user, row.area)
    )
    del form.fields["client_uuid"]  # a change sent twice changes nothing more
    if request.method == "POST" and form.is_valid():
        changed = call_service(
            form,
            services.change_responsibility,
            actor=user,
            responsibility=row,
            **form.cleaned_data,
        )
        if changed:
            messages.success(request, _("Saved."))
            return redirect("responsibilities", row.area.code)
    return render(
        request,
        "workforce/responsibility.html",
        {"form": form, "row": row, "area": row.area},
    )


@login_required
@require_POST
def responsibility_remove(request, pk):
    row = scoped_or_404(Responsibility, request.user, perm=SET_RESPONSIBILITY, pk=pk)
    code = row.area.code
    services.remove_responsibility(actor=request.user, responsibility=row)
    messages.success(request, _("Removed."))
    return redirect("responsibilities", code)
