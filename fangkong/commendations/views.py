"""Pages of commendations: the list, proposing a worker, a commendation with its decision
and its place on the public page, and the public page itself (no login)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fangkong.areas.models import Worker
from fangkong.areas.selectors import breadcrumbs
from fangkong.commendations import public_cache, selectors, services
from fangkong.commendations.filters import CommendationFilter
from fangkong.commendations.forms import DecideForm, ProposeForm
from fangkong.commendations.models import Commendation
from fangkong.commendations.permissions import PROPOSE, PUBLISH, VIEW
from fangkong.notices.public import limited, published, seconds_until_allowed
from fangkong.web import call_service, paged, require_list, scoped_or_404, without_page

MOST_WORKERS = 500


@login_required
def commendation_list(request):
    user = request.user
    require_list(user, VIEW)
    found = CommendationFilter(request.GET, selectors.commendations(user), request=request)
    return render(
        request,
        "commendations/list.html",
        {
            "page": paged(request, found.qs),
            "query": without_page(request),
            "filter": found,
            "may_propose": user.has_perm(PROPOSE),
        },
    )


@login_required
def commendation_new(request):
    """Propose a worker of the user's areas; `?worker=` preselects one (the worker's page)."""
    user = request.user
    if not user.has_perm(PROPOSE):
        raise PermissionDenied(_("You may not do this here."))
    workers = list(
        Worker.objects.visible_to(user, PROPOSE)
        .filter(is_active=True)
        .select_related("area")
        .order_by("area_path", "name")[:MOST_WORKERS]
    )
    form = ProposeForm(
        request.POST or None, workers=workers, initial={"worker": request.GET.get("worker")}
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        chosen = data.pop("worker")
        worker = next(w for w in workers if w.pk == chosen)
        made = call_service(form, services.propose, actor=user, worker=worker, **data)
        if made:
            messages.success(request, _("Commendation proposed."))
            return redirect("commendation_detail", pk=made.pk)
    return render(request, "form.html", {"form": form, "title": _("Propose a commendation")})


@login_required
def commendation_detail(request, pk):
    user = request.user
    commendation = scoped_or_404(Commendation, user, pk=pk)
    may_decide = commendation.status == Commendation.Status.PROPOSED and services.may_decide(
        user, commendation
    )
    return render(
        request,
        "commendations/detail.html",
        {
            "commendation": commendation,
            "breadcrumbs": breadcrumbs(commendation.area),
            "decide_form": DecideForm(initial={"award": "1"}) if may_decide else None,
            "may_publish": commendation.status == Commendation.Status.AWARDED
            and user.has_perm(PUBLISH, commendation),
        },
    )


@login_required
def commendation_decide(request, pk):
    user = request.user
    commendation = scoped_or_404(Commendation, user, pk=pk)
    if not services.may_decide(user, commendation):
        raise PermissionDenied(_("You may not do this here."))
    form = DecideForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and call_service(
            form, services.decide, actor=user, commendation=commendation, **form.cleaned_data
        )
    ):
        messages.success(request, _("Decision recorded."))
        return redirect("commendation_detail", pk=pk)
    return render(
        request,
        "form.html",
        {
            "form": form,
            "area": commendation.area,
            "title": _("Decide on %(c)s") % {"c": commendation},
        },
    )


@login_required
@require_POST
def commendation_publish(request, pk):
    user = request.user
    commendation = scoped_or_404(Commendation, user, perm=PUBLISH, pk=pk)
    shown = request.POST.get("published") == "1"
    form = DecideForm()
    if call_service(
        form, services.set_published, actor=user, commendation=commendation, published=shown
    ):
        messages.success(
            request,
            _("It is on the public page now.") if shown else _("It is off the public page now."),
        )
    else:
        messages.error(request, " ".join(form.non_field_errors()))
    return redirect("commendation_detail", pk=pk)


def commendation_board(request, code):
    """The commendations an area chose to publish, of its workers and of its subtree's
    (anyone, no login; rate-limited and kept like the notice board)."""
    wait = seconds_until_allowed(request)
    if wait:
        return limited(request, wait)
    page = public_cache.public_page(code)
    if page is None:
        raise Http404
    return published(request, render(request, "commendations/board.html", page))
