"""Pages of risk levels: the board of a supervisor's areas by level, a place's level with its
history and countdown, setting a level (and confirming a proposed step down), and an area's
traits."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from fangkong.areas.models import Area, Building, Level, is_area_code, path_of_code
from fangkong.areas.selectors import breadcrumbs
from fangkong.response import selectors, services
from fangkong.response.forms import LevelForm, TraitsForm
from fangkong.response.models import AreaTrait, RiskLevel
from fangkong.response.permissions import SET_LEVEL, SET_TRAITS, VIEW
from fangkong.web import CappedPaginator, call_service, form_page, require_list, scoped_or_404

BOARD_LEVELS = [RiskLevel.HIGH, RiskLevel.MEDIUM]
PER_PAGE = 50


def place_url(place):
    if isinstance(place, Building):
        return reverse("risk_building", args=[place.pk])
    return reverse("risk_area", args=[place.code])


def set_url(place):
    if isinstance(place, Building):
        return reverse("risk_building_set", args=[place.pk])
    return reverse("risk_area_set", args=[place.code])


def with_countdowns(levels, user):
    """The rows of a board: each current level with its countdown and whether the user may
    confirm its step down."""
    rows = list(levels)
    for risk in rows:
        risk.countdown = selectors.countdown(risk)
        risk.url = place_url(risk.place)
        risk.confirm_url = (
            f"{set_url(risk.place)}?step_down=1"
            if risk.countdown and risk.countdown.ready and services.may_set_level(user, risk.place)
            else ""
        )
    return rows


@login_required
def risk_board(request):
    """Medium and high levels of the user's areas, filtered by level, trait, area (`within`)
    and waiting step downs (`proposals`), with the counts by level of the same filter."""
    user = request.user
    require_list(user, VIEW)
    levels = selectors.current_levels(user)
    level, trait = request.GET.get("level", ""), request.GET.get("trait", "")
    within = request.GET.get("within", "")
    path = path_of_code(within) if is_area_code(within) else None
    if path:
        levels = levels.filter(area_path__under=path)
    if trait in AreaTrait.Kind.values:
        levels = selectors.with_trait(levels, trait, user)
    counts = selectors.counts_by_level(levels)
    waiting = selectors.proposals(levels)
    shown = waiting if request.GET.get("proposals") else selectors.raised(levels)
    if level in BOARD_LEVELS:
        shown = shown.filter(level=level)
    page = CappedPaginator(shown, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "response/board.html",
        {
            "page": page,
            "query": query,
            "rows": with_countdowns(page.object_list, user),
            "counts": [(value, RiskLevel(value).label, counts[value]) for value in BOARD_LEVELS],
            "proposals": waiting.count(),
            "level": level,
            "trait": trait,
            "within": within if path else "",
            "traits": AreaTrait.Kind.choices,
        },
    )


def place_page(request, place, area):
    user = request.user
    require_list(user, VIEW)
    own = with_countdowns(selectors.own_level(user, place), user)
    context = {
        "place": place,
        "area": area,
        "breadcrumbs": breadcrumbs(area),
        "effective": selectors.effective_level(place),
        "own": own[0] if own else None,
        "history": selectors.history(user, place),
        "set_url": set_url(place) if services.may_set_level(user, place) else "",
    }
    if isinstance(place, Area):
        context["traits"] = selectors.traits_of(user, place)
        context["may_mark"] = user.has_perm(SET_TRAITS, place)
        if place.level == Level.GRID:
            below = selectors.with_building_rank(
                Building.objects.visible_to(user, "areas.view_building").filter(area=place)
            )
        else:
            below = selectors.with_effective_rank(
                Area.objects.visible_to(user, "areas.view_area").filter(parent=place)
            )
        context["below"] = [(record, selectors.level_of(record.effective_rank)) for record in below]
    return render(request, "response/place.html", context)


@login_required
def risk_area(request, code):
    area = scoped_or_404(Area, request.user, code=code)
    return place_page(request, area, area)


@login_required
def risk_building(request, pk):
    building = scoped_or_404(Building, request.user, pk=pk)
    return place_page(request, building, building.area)


def step_down_initial(request, place):
    """The form prefilled with the proposed step down, when one is due."""
    if not request.GET.get("step_down"):
        return {}
    own = selectors.own_level(request.user, place).first()
    proposal = selectors.countdown(own) if own else None
    if not (proposal and proposal.ready):
        return {}
    return {
        "level": proposal.to,
        "reason": _("No new case for %(days)d days: down to %(level)s.")
        % {"days": proposal.passed, "level": proposal.to_label},
        "last_case_on": own.last_case_on,
    }


def level_page(request, place, area):
    form = LevelForm(request.POST or None, initial=step_down_initial(request, place))
    return form_page(
        request,
        form,
        services.set_level,
        title=_("Set the risk level of %(place)s") % {"place": place},
        page_area=area,
        done=lambda change: place_url(place),
        saved=lambda change: (
            _("Risk level set: %(level)s.") % {"level": change.get_level_display()}
        ),
        place=place,
    )


@login_required
def risk_area_set(request, code):
    area = scoped_or_404(Area, request.user, perm=SET_LEVEL, code=code)
    return level_page(request, area, area)


@login_required
def risk_building_set(request, pk):
    building = scoped_or_404(Building, request.user, perm=SET_LEVEL, pk=pk)
    return level_page(request, building, building.area)


@login_required
def risk_traits(request, code):
    area = scoped_or_404(Area, request.user, perm=SET_TRAITS, code=code)
    marked = set(selectors.traits_of(request.user, area).values_list("kind", flat=True))
    form = TraitsForm(request.POST or None, marked=marked)
    if form.is_valid() and call_service(
        form, services.set_traits, actor=request.user, area=area, kinds=form.kinds()
    ):
        messages.success(request, _("Saved."))
        return redirect(place_url(area))
    title = _("Traits of %(area)s") % {"area": area}
    return render(request, "form.html", {"form": form, "area": area, "title": title})
