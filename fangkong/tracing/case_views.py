"""Pages that act on what was recorded: reclassifying a case (a suspected case confirmed,
an asymptomatic infection confirmed), ruling a suspected case out with the reason, and
asking for a close contact's building to be suggested as their contacts. The services
decide; a refusal shows on the form or as a message and changes nothing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fangkong.tracing import case_changes
from fangkong.tracing.forms import ReclassifyForm, RuleOutForm
from fangkong.tracing.models import Case, TracedPerson
from fangkong.tracing.permissions import ADD_CONTACT, CHANGE_CASE
from fangkong.tracing.suggestions import suggest_building
from fangkong.web import form_page, scoped_or_404


def _done(case):
    return reverse("tracing_case", args=[case.pk])


@login_required
def case_reclassify(request, pk):
    case = scoped_or_404(Case, request.user, perm=CHANGE_CASE, pk=pk)
    form = ReclassifyForm(
        request.POST or None, choices=case_changes.RECLASSIFICATIONS[case.classification]
    )
    return form_page(
        request,
        form,
        case_changes.reclassify_case,
        case=case,
        title=_("Reclassify the case of %(name)s") % {"name": case.person.name},
        done=_done,
        saved=lambda _case: _("Case reclassified."),
    )


@login_required
def case_rule_out(request, pk):
    case = scoped_or_404(Case, request.user, perm=CHANGE_CASE, pk=pk)
    return form_page(
        request,
        RuleOutForm(request.POST or None),
        case_changes.rule_out_case,
        case=case,
        title=_("Rule out the suspected case of %(name)s") % {"name": case.person.name},
        done=_done,
        saved=lambda _case: _("Case ruled out."),
    )


@login_required
@require_POST
def building_suggest(request, pk):
    """The worker's option: the other residents of a close contact's building suggested."""
    person = scoped_or_404(TracedPerson, request.user, perm=ADD_CONTACT, pk=pk)
    try:
        edges = suggest_building(actor=request.user, person=person)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("%(n)d residents of the building suggested.") % {"n": len(edges)}
        )
    return redirect("tracing_person", person.pk)
