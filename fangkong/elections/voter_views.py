"""Pages of an election's roll: registering the voters and allotting them to slots, the
voter list, the printable slips, a voter's page (slot, special voting, proxy), the health
declarations and their risk assessment."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from fangkong.areas.selectors import breadcrumbs
from fangkong.elections import selectors, slips, voter_services
from fangkong.elections.filters import DeclarationFilter, VoterFilter
from fangkong.elections.forms import AssessForm, DeclarationForm, MoveForm, ProxyForm, SpecialForm
from fangkong.elections.models import Election, HealthDeclaration, Voter
from fangkong.elections.permissions import RUN_ELECTION, VIEW_DECLARATION
from fangkong.elections.views import button
from fangkong.web import call_service, paged, require_list, scoped_or_404, without_page

SLIPS_PER_PAGE = 200


election_roll = button(
    Election,
    voter_services.register_voters,
    lambda n: (
        ngettext("%(n)d voter registered on the roll.", "%(n)d voters registered on the roll.", n)
        % {"n": n}
    ),
    record="election",
)
election_allot = button(
    Election,
    voter_services.allot,
    lambda result: (
        _(
            "%(n)d voters allotted to slots; %(left)d still without a slot "
            "(add slots or longer hours)."
        )
        % {"n": result[0], "left": result[1]}
    ),
    record="election",
)


@login_required
def voter_list(request, pk):
    user = request.user
    election = scoped_or_404(Election, user, pk=pk)
    found = VoterFilter(request.GET, selectors.voters(user).filter(election=election))
    return render(
        request,
        "elections/voters.html",
        {
            "election": election,
            "breadcrumbs": breadcrumbs(election.area),
            "page": paged(request, slips.with_text_state(found.qs).order_by("id")),
            "query": without_page(request),
            "filter": found,
        },
    )


@login_required
def election_slips(request, pk):
    """The voters' slips to print and hand out (filtered like the voter list: a slot, a
    station), a page of them at a time; each slip is also the text of an SMS."""
    user = request.user
    election = scoped_or_404(Election, user, pk=pk)
    found = VoterFilter(request.GET, selectors.voters(user).filter(election=election))
    page = Paginator(found.qs.order_by("slot__starts_at", "id"), SLIPS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    for voter in page.object_list:
        voter.election = election
        voter.slip = selectors.slip_text(voter)
    return render(
        request,
        "elections/slips.html",
        {
            "election": election,
            "page": page,
            "slips": page.object_list,
            "query": without_page(request),
            "may_send": user.has_perm(RUN_ELECTION, election) and election.status != "closed",
        },
    )


@login_required
def voter_detail(request, pk):
    user = request.user
    voter = scoped_or_404(Voter, user, pk=pk)
    election = voter.election
    may_run = user.has_perm(RUN_ELECTION, voter) and election.status != "closed"
    proxy_given = selectors.proxies(user).filter(voter=voter).first()
    slots = list(selectors.slots(user, election)) if may_run else []
    return render(
        request,
        "elections/voter.html",
        {
            "voter": voter,
            "election": election,
            "breadcrumbs": breadcrumbs(voter.area),
            "slip": selectors.slip_text(voter),
            "text_state": slips.text_state_of(voter),
            "proxy_given": proxy_given,
            "proxies_held": selectors.proxies(user).filter(proxy=voter),
            "declarations": selectors.declarations(user).filter(voter=voter),
            "may_run": may_run,
            "move_form": MoveForm(initial={"slot": voter.slot_id}, slots=slots),
            "special_form": SpecialForm(
                initial={
                    "special": voter.special,
                    "method": voter.special_method,
                    "note": voter.special_note,
                }
            ),
            "proxy_form": ProxyForm(),
        },
    )


@login_required
def voter_slip(request, pk):
    voter = scoped_or_404(Voter, request.user, pk=pk)
    voter.slip = selectors.slip_text(voter)
    return render(
        request,
        "elections/slips.html",
        {"election": voter.election, "page": None, "slips": [voter]},
    )


def _move_form(request, voter):
    return MoveForm(request.POST, slots=selectors.slots(request.user, voter.election))


def _proxy_of(request, voter, form):
    """The proxy the form names by their number on the voter's roll, among the voters the
    actor sees."""
    proxy = (
        selectors.voters(request.user)
        .filter(election=voter.election, pk=form.cleaned_data["proxy"])
        .first()
    )
    if proxy is None:
        raise ValidationError(_("The proxy is not a registered voter of this election."))
    return {"voter": voter, "proxy": proxy, "note": form.cleaned_data["note"]}


def _given_vote(request, voter, form):
    vote = selectors.proxies(request.user).filter(voter=voter).first()
    if vote is None:
        raise ValidationError(_("This voter has authorised no proxy."))
    return {"vote": vote}


voter_move = button(
    Voter,
    voter_services.move_voter,
    gettext_lazy("Saved."),
    record="voter",
    form=_move_form,
    invalid=gettext_lazy("Choose a slot of this election."),
    arguments=lambda request, voter, form: {"voter": voter, "slot": form.chosen()},
)
voter_special = button(
    Voter,
    voter_services.mark_special,
    gettext_lazy("Saved."),
    record="voter",
    form=SpecialForm,
    invalid=gettext_lazy("Choose why the voter cannot come."),
)
# The voter authorises another voter of the election (by their number on the roll).
voter_proxy = button(
    Voter,
    voter_services.authorise_proxy,
    gettext_lazy("Proxy authorised."),
    record="voter",
    form=ProxyForm,
    invalid=gettext_lazy("Give the proxy's voter number."),
    arguments=_proxy_of,
)
voter_proxy_revoke = button(
    Voter,
    voter_services.revoke_proxy,
    gettext_lazy("Proxy authorisation revoked."),
    record="voter",
    arguments=_given_vote,
)


@login_required
def declaration_list(request):
    user = request.user
    require_list(user, VIEW_DECLARATION)
    found = DeclarationFilter(request.GET, selectors.declarations(user))
    return render(
        request,
        "elections/declarations.html",
        {"page": paged(request, found.qs), "query": without_page(request), "filter": found},
    )


@login_required
def declaration_new(request, pk):
    """A voter's (by their number on the roll) or a staff member's health declaration."""
    user = request.user
    election = scoped_or_404(Election, user, perm=RUN_ELECTION, pk=pk)
    staff = list(selectors.staff(user, election))
    form = DeclarationForm(request.POST or None, staff=staff)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        voter_number, staff_pk = data.pop("voter"), data.pop("staff")
        voter = (
            selectors.voters(user).filter(election=election, pk=voter_number).first()
            if voter_number
            else None
        )
        member = next((s for s in staff if s.pk == staff_pk), None)
        if voter_number and voter is None:
            form.add_error("voter", _("No voter of this election has this number."))
        else:
            declaration = call_service(
                form,
                voter_services.declare,
                actor=user,
                election=election,
                voter=voter,
                staff=member,
                **data,
            )
            if declaration:
                messages.success(
                    request,
                    _("Abnormal: the declaration waits for a risk assessment.")
                    if declaration.abnormal
                    else _("Declaration recorded."),
                )
                return redirect(declaration.get_absolute_url())
    return render(
        request,
        "form.html",
        {"form": form, "area": election.area, "title": _("Health declaration")},
    )


@login_required
def declaration_detail(request, pk):
    user = request.user
    declaration = scoped_or_404(HealthDeclaration, user, pk=pk)
    may_assess = (
        declaration.abnormal
        and user.has_perm(RUN_ELECTION, declaration)
        and declaration.election.status != "closed"
    )
    return render(
        request,
        "elections/declaration.html",
        {
            "declaration": declaration,
            "breadcrumbs": breadcrumbs(declaration.area),
            "may_assess": may_assess,
            "form": AssessForm(
                initial={
                    "decision": declaration.decision,
                    "reason": declaration.decision_reason,
                }
            ),
        },
    )


declaration_assess = button(
    HealthDeclaration,
    voter_services.assess,
    gettext_lazy("Decision recorded."),
    record="declaration",
    form=AssessForm,
    invalid=gettext_lazy("Choose the decision and give its reason."),
)
