"""Pages of cases and contacts: the lists of cases, traced persons and tracing tasks, a case
(its contacts, its chain as a graph and a table, the Excel export), a person (their category
and why, their edges, the suggestions to decide), recording a case or a contact, and a
tracing task seen by the community where the contact lives."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fangkong.audit.services import record
from fangkong.scope import system_scope
from fangkong.spreadsheets import Column, write_table, xlsx_response
from fangkong.tracing import case_changes, services
from fangkong.tracing.chain import chain_of
from fangkong.tracing.filters import CaseFilter, PersonFilter, TaskFilter
from fangkong.tracing.forms import CaseForm, ChainFilter, ContactForm, NewCaseForm, TaskDoneForm
from fangkong.tracing.models import Case, Category, Contact, RankChange, TracedPerson, TracingTask
from fangkong.tracing.permissions import (
    ADD_CASE,
    ADD_CONTACT,
    CHANGE_CASE,
    DO_TASK,
    EXPORT,
    REVEAL,
    VIEW_CASE,
    VIEW_CONTACT,
    VIEW_PERSON,
    VIEW_RANK,
    VIEW_TASK,
)
from fangkong.web import CappedPaginator, call_service, link_format, require_list, scoped_or_404

PER_PAGE = 50


def _page(request, queryset):
    return CappedPaginator(queryset, PER_PAGE).get_page(request.GET.get("page"))


def _query(request):
    query = request.GET.copy()
    query.pop("page", None)
    return query


# ---------------------------------------------------------------- lists


@login_required
def case_list(request):
    user = request.user
    require_list(user, VIEW_CASE)
    cases = Case.objects.visible_to(user, VIEW_CASE).select_related("person", "area")
    filtered = CaseFilter(request.GET, queryset=cases)
    return render(
        request,
        "tracing/cases.html",
        {
            "filter": filtered,
            "page": _page(request, filtered.qs),
            "query": _query(request),
            "may_add": user.has_perm(ADD_CASE),
        },
    )


@login_required
def person_list(request):
    user = request.user
    require_list(user, VIEW_PERSON)
    persons = TracedPerson.objects.visible_to(user, VIEW_PERSON).select_related("area")
    filtered = PersonFilter(request.GET, queryset=persons)
    return render(
        request,
        "tracing/persons.html",
        {"filter": filtered, "page": _page(request, filtered.qs), "query": _query(request)},
    )


@login_required
def task_list(request):
    user = request.user
    require_list(user, VIEW_TASK)
    tasks = TracingTask.objects.visible_to(user, VIEW_TASK).select_related(
        "person", "area", "contact"
    )
    data = request.GET.copy()
    data.setdefault("state", "open")
    filtered = TaskFilter(data, queryset=tasks)
    return render(
        request,
        "tracing/tasks.html",
        {"filter": filtered, "page": _page(request, filtered.qs), "query": _query(request)},
    )


# ---------------------------------------------------------------- a case and its chain


@login_required
def case_add(request):
    """A new case: the person typed in (a resident of the registry is found by the ID
    number), then the case."""
    user = request.user
    require_list(user, ADD_CASE)
    form = NewCaseForm(request.POST or None, user=user)
    if form.is_valid():

        def save():
            if made := services.recorded_before(Case, form.cleaned_data["client_uuid"]):
                return made
            with transaction.atomic():
                data = form.person_data()
                if not user.has_perm(ADD_CASE, data["area"]):
                    raise PermissionDenied(_("You may not record cases in this area."))
                person = services.add_person(actor=user, **data)
                return services.record_case(actor=user, person=person, **form.case_data())

        case = call_service(form, save)
        if case:
            messages.success(request, _("Case recorded."))
            return redirect("tracing_case", case.pk)
    return render(request, "tracing/case_form.html", {"form": form, "title": _("Record a case")})


@login_required
def person_case_add(request, pk):
    """An existing person (a contact) becomes a case."""
    user = request.user
    person = scoped_or_404(TracedPerson, user, perm=ADD_CASE, pk=pk)
    form = CaseForm(request.POST or None)
    if form.is_valid():
        case = call_service(
            form, services.record_case, actor=user, person=person, **form.case_data()
        )
        if case:
            messages.success(request, _("Case recorded."))
            return redirect("tracing_case", case.pk)
    title = _("Record %(name)s as a case") % {"name": person.name}
    return render(request, "tracing/case_form.html", {"form": form, "title": title})


@login_required
def case_detail(request, pk):
    user = request.user
    case = scoped_or_404(Case, user, pk=pk)
    person = case.person
    contacts = (
        Contact.objects.visible_to(user, VIEW_CONTACT)
        .filter(source=person)
        .select_related("person", "person__area")
        .order_by("status", "-exposed_on", "pk")
    )
    return render(
        request,
        "tracing/case.html",
        {
            "case": case,
            "person": person,
            "contacts": contacts[:200],
            "may_add_contact": user.has_perm(ADD_CONTACT, person),
            "may_export": user.has_perm(EXPORT, case),
            "may_reclassify": case.standing
            and bool(case_changes.RECLASSIFICATIONS[case.classification])
            and user.has_perm(CHANGE_CASE, case),
            "may_rule_out": case.standing
            and case.classification == Case.Classification.SUSPECTED
            and user.has_perm(CHANGE_CASE, case),
        },
    )


def _chain(request, case):
    form = ChainFilter(request.GET)
    depth, page = 2, 1
    if form.is_valid():
        depth = form.cleaned_data["depth"] or 2
        page = form.cleaned_data["page"] or 1
    return chain_of(request.user, case.person, depth=depth, page=page)


@login_required
def chain_page(request, pk):
    """The chain's graph (its data in the page: the chain is read once) and its table."""
    case = scoped_or_404(Case, request.user, pk=pk)
    chain = _chain(request, case)
    table = Paginator(chain.nodes, 100).get_page(request.GET.get("rows"))
    return render(
        request,
        "tracing/chain.html",
        {
            "case": case,
            "chain": chain,
            "graph": graph_of(chain),
            "rows": table,
            "depths": range(1, 7),
            "categories": Category.choices,
            "may_export": request.user.has_perm(EXPORT, case),
        },
    )


@login_required
def chain_data(request, pk):
    """The chain as the page's graph draws it (JSON)."""
    case = scoped_or_404(Case, request.user, pk=pk)
    return JsonResponse(graph_of(_chain(request, case)))


def graph_of(chain):
    person_url = link_format("tracing_person")
    return {
        "root": chain.root,
        "total": chain.total,
        "page": chain.page,
        "pages": chain.pages,
        "categories": [{"name": str(label)} for _value, label in CATEGORY_ORDER],
        "nodes": [
            {
                "id": str(n.pk),
                "name": n.name,
                "x": n.x,
                "y": n.y,
                "degree": n.degree,
                "category": CATEGORY_INDEX[n.category],
                "url": person_url.format(n.pk) if n.visible else "",
            }
            for n in chain.nodes
        ],
        "links": [{"source": str(s), "target": str(t)} for s, t in chain.edges],
    }


CATEGORY_ORDER = [*Category.choices, ("", _("No category"))]
CATEGORY_INDEX = {value: i for i, (value, _label) in enumerate(CATEGORY_ORDER)}


@login_required
def chain_export(request, pk):
    user = request.user
    case = scoped_or_404(Case, user, perm=EXPORT, pk=pk)
    chain = _chain(request, case)
    names = {n.pk: n.name for n in chain.nodes}
    labels = dict(Category.choices)
    settings_ = dict(Contact.Setting.choices)
    columns = [
        Column(_("degree"), 6),
        Column(_("name"), 12),
        Column(_("category"), 12),
        Column(_("lives in"), 16),
        Column(_("reached from"), 12),
        Column(_("exposure date"), 12),
        Column(_("setting"), 10),
    ]
    rows = (
        [
            n.degree,
            n.name,
            str(labels.get(n.category, "")),
            n.area,
            names.get(n.parent, ""),
            n.exposed_on,
            str(settings_.get(n.setting, "")),
        ]
        for n in chain.nodes
    )
    response = xlsx_response(_("chain of %(name)s") % {"name": case.person.name} + ".xlsx")
    count = write_table(response, title=_("Chain"), columns=columns, rows=rows)
    record(
        actor=user,
        action="tracing.export",
        target=case,
        area=case.area,
        rows=count,
        depth=chain.depth,
    )
    return response


# ---------------------------------------------------------------- a person


@login_required
def person_detail(request, pk):
    user = request.user
    person = scoped_or_404(TracedPerson, user, pk=pk)
    context = {
        "person": person,
        "reveal": user.has_perm(REVEAL, person),
        "cases": Case.objects.visible_to(user, VIEW_CASE).filter(person=person),
        "changes": RankChange.objects.visible_to(user, VIEW_RANK).filter(person=person)[:20],
        "may_add_case": user.has_perm(ADD_CASE, person) and person.category != Category.CASE,
        "may_add_contact": user.has_perm(ADD_CONTACT, person),
        "may_suggest_building": person.category == Category.CLOSE_CONTACT
        and person.resident_id is not None
        and user.has_perm(ADD_CONTACT, person),
    }
    if user.has_perm(VIEW_CONTACT):
        edges = Contact.objects.visible_to(user, VIEW_CONTACT).select_related(
            "source", "person", "person__area"
        )
        context["reached_by"] = edges.filter(person=person).order_by("-exposed_on", "pk")
        context["contacts"] = edges.filter(source=person).order_by("status", "-exposed_on", "pk")
        context["may_decide"] = user.has_perm(ADD_CONTACT)
    return render(request, "tracing/person.html", context)


@login_required
def contact_add(request, pk):
    """A contact of a person (a case, or a close contact for secondary contacts)."""
    user = request.user
    source = scoped_or_404(TracedPerson, user, perm=ADD_CONTACT, pk=pk)
    form = ContactForm(request.POST or None, user=user)
    if form.is_valid():

        def save():
            if made := services.recorded_before(Contact, form.cleaned_data["client_uuid"]):
                return made
            with transaction.atomic():
                person = services.add_person(actor=user, **form.person_data())
                return services.add_contact(
                    actor=user, source=source, person=person, **form.contact_data()
                )

        contact = call_service(form, save)
        if contact:
            messages.success(request, _("Contact recorded."))
            return redirect("tracing_person", source.pk)
    title = _("Record a contact of %(name)s") % {"name": source.name}
    return render(
        request, "tracing/contact_form.html", {"form": form, "title": title, "source": source}
    )


@login_required
@require_POST
def suggestion_decide(request, pk):
    user = request.user
    contact = get_object_or_404(Contact.objects.visible_to(user, VIEW_CONTACT), pk=pk)
    if not user.has_perm(ADD_CONTACT):
        raise PermissionDenied
    confirm = request.POST.get("decision") == "confirm"
    try:
        services.decide_suggestion(actor=user, contact=contact, confirm=confirm)
    except (ValidationError, PermissionDenied) as error:  # shown; nothing changed
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(
            request, _("Contact confirmed.") if confirm else _("Suggestion dismissed.")
        )
    return redirect("tracing_person", contact.source_id)


# ---------------------------------------------------------------- a tracing task


@login_required
def task_detail(request, pk):
    """What the contact's community needs, and no more: who to reach, when and where the
    exposure was, and what the source is (its category), never the source's identity."""
    user = request.user
    task = scoped_or_404(TracingTask, user, pk=pk)
    contact = task.contact
    form = None
    if not task.done and user.has_perm(DO_TASK, task):
        form = TaskDoneForm(request.POST or None)
        if (
            request.method == "POST"
            and form.is_valid()
            and call_service(form, services.close_task, actor=user, task=task, **form.cleaned_data)
        ):
            messages.success(request, _("Task done."))
            return redirect("tracing_task", task.pk)
    elif request.method == "POST":
        raise PermissionDenied
    with system_scope():
        source_category = (
            TracedPerson.objects.filter(pk=contact.source_id)
            .values_list("category", flat=True)
            .first()
        )
    return render(
        request,
        "tracing/task.html",
        {
            "task": task,
            "contact": contact,
            "person": task.person,
            "reveal": user.has_perm(REVEAL, task.person),
            "source_category": dict(Category.choices).get(source_category, _("No category")),
            "form": form,
        },
    )
