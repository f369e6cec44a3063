"""Workers' pages of self-reports, providers, fever clinics and the "to serve" list."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fangkong.areas.models import Area, Level, Worker
from fangkong.care import providers as provider_services
from fangkong.care import selectors, self_reports
from fangkong.care.filters import ProviderFilter, SymptomReportFilter
from fangkong.care.forms import ClinicForm, HandleForm, ProviderForm
from fangkong.care.models import FeverClinic, Provider, ServiceRequest, SymptomReport
from fangkong.care.permissions import (
    HANDLE_REPORTS,
    KEEP_CLINICS,
    KEEP_PROVIDERS,
    VIEW,
    VIEW_PROVIDERS,
    VIEW_REPORTS,
)
from fangkong.care.registry import registered
from fangkong.web import CappedPaginator, call_service, form_page, require_list, scoped_or_404

RESIDENT_READ = "people.view_resident"


@login_required
def symptom_reports(request):
    require_list(request.user, VIEW_REPORTS)
    rows = SymptomReport.objects.visible_to(request.user, VIEW_REPORTS).select_related(
        "household__building"
    )
    filtered = SymptomReportFilter(request.GET, rows)
    page = CappedPaginator(filtered.qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "care/symptom_reports.html", {"page": page, "query": query})


@login_required
def symptom_report(request, pk):
    report = scoped_or_404(SymptomReport, request.user, pk=pk)
    may_handle = request.user.has_perm(HANDLE_REPORTS, report)
    form = HandleForm(request.POST or None)
    if request.method == "POST":
        if not may_handle:
            return render(request, "403.html", status=403)
        if form.is_valid() and call_service(
            form, self_reports.handle, actor=request.user, report=report, **form.cleaned_data
        ):
            messages.success(request, _("Recorded."))
            return redirect("care_symptom_report", pk=pk)
    return render(
        request,
        "care/symptom_report.html",
        {
            "report": report,
            "symptoms": report.symptoms.all(),
            "form": form if may_handle else None,
            "clinics": selectors.clinics_for(report.area_path),
        },
        status=400 if form.is_bound else 200,
    )


@login_required
def provider_list(request):
    require_list(request.user, VIEW_PROVIDERS)
    # The areas a provider serves are named as far as the reader may see areas.
    served = Area.objects.visible_to(request.user, "areas.view_area").only("name")
    rows = selectors.providers(request.user, VIEW_PROVIDERS).prefetch_related(
        Prefetch("service_areas", queryset=served)
    )
    filtered = ProviderFilter(request.GET, rows)
    page = CappedPaginator(filtered.qs, 50).get_page(request.GET.get("page"))
    areas = [
        a
        for a in Area.objects.visible_to(request.user, KEEP_PROVIDERS).filter(
            level__in=(Level.COUNTY, Level.TOWNSHIP, Level.COMMUNITY)
        )[:30]
    ]
    return render(request, "care/providers.html", {"page": page, "areas": areas})


@login_required
def provider_add(request, code):
    area = scoped_or_404(Area, request.user, code=code, perm=KEEP_PROVIDERS)
    workers = (
        Worker.objects.visible_to(request.user, KEEP_PROVIDERS).within(area).order_by("name")[:300]
    )
    areas = (
        Area.objects.visible_to(request.user, KEEP_PROVIDERS)
        .within(area)
        .exclude(level=Level.GRID)
        .order_by("path")[:200]
    )
    form = ProviderForm(request.POST or None, workers=workers, areas=areas)
    return form_page(
        request,
        form,
        provider_services.add_provider,
        title=_("Register a service provider"),
        page_area=area,
        done=lambda provider: f"{reverse('care_providers')}?within={area.code}",
        area=area,
    )


@login_required
@require_POST
def provider_active(request, pk):
    provider = scoped_or_404(Provider, request.user, pk=pk, perm=KEEP_PROVIDERS)
    provider_services.set_provider_active(
        actor=request.user, provider=provider, is_active=request.POST.get("active") == "1"
    )
    messages.success(request, _("Saved."))
    return redirect(f"{reverse('care_providers')}?within={provider.area.code}")


@login_required
def fever_clinics(request, code):
    """A county's fever clinics; its supervisors add and retire them here."""
    area = scoped_or_404(Area, request.user, code=code)
    county = selectors.county_of(area.path)
    if county is None:
        return render(request, "404.html", status=404)
    may_keep = request.user.has_perm(KEEP_CLINICS, county)
    form = ClinicForm(request.POST or None)
    if request.method == "POST":
        if not may_keep:
            return render(request, "403.html", status=403)
        if form.is_valid() and call_service(
            form, provider_services.add_clinic, actor=request.user, area=county, **form.cleaned_data
        ):
            messages.success(request, _("Saved."))
            return redirect("care_fever_clinics", code=county.code)
    return render(
        request,
        "care/fever_clinics.html",
        {
            "area": county,
            "clinics": FeverClinic.objects.visible_to(request.user, "care.view_feverclinic")
            .within(county)
            .order_by("-is_active", "name"),
            "form": form if may_keep else None,
        },
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def fever_clinic_active(request, pk):
    clinic = scoped_or_404(FeverClinic, request.user, pk=pk, perm=KEEP_CLINICS)
    provider_services.set_clinic_active(
        actor=request.user, clinic=clinic, is_active=request.POST.get("active") == "1"
    )
    return redirect("care_fever_clinics", code=clinic.area.code)


@login_required
def to_serve(request, code):
    """The people the area must serve (应保尽保), group by group, each with what was
    requested and delivered for their household."""
    area = scoped_or_404(Area, request.user, code=code, perm=VIEW)
    require_list(request.user, RESIDENT_READ)
    groups = registered()
    chosen = request.GET.get("group") or (groups[0].key if groups else "")
    group = next((g for g in groups if g.key == chosen), None)
    page = None
    if group is not None:
        people = (
            group.residents(request.user, RESIDENT_READ)
            .filter(area_path__under=area.path)
            .select_related("household__building")
            .order_by("area_path", "household_id", "id")
        )
        page = CappedPaginator(people, 50).get_page(request.GET.get("page"))
        households = [p.household_id for p in page if p.household_id]
        counts = {
            row["household"]: row
            for row in selectors.requests(request.user)
            .filter(household__in=households)
            .values("household")
            .annotate(
                asked=Count("pk"),
                delivered=Count("pk", filter=Q(status=ServiceRequest.Status.DONE)),
                waiting=Count("pk", filter=Q(status__in=ServiceRequest.OPEN)),
            )
        }
        for person in page:
            person.served = counts.get(person.household_id, {})
    return render(
        request,
        "care/to_serve.html",
        {"area": area, "groups": groups, "group": group, "page": page},
    )
