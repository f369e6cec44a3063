"""The whole ID number and phone of one person, shown on a deliberate click and audited."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from fangkong.areas.selectors import breadcrumbs
from fangkong.people import services
from fangkong.people.models import Resident
from fangkong.web import scoped_or_404


@never_cache
@login_required
@require_POST
def resident_reveal(request, pk):
    """POST only (CSRF-checked): outside the scope 404, without the permission 403, else one
    audit record and the identity partial with the whole numbers (htmx swaps it in place; a
    browser without JavaScript gets it on a page of its own)."""
    resident = scoped_or_404(Resident, request.user, perm="people.reveal_resident", pk=pk)
    revealed = services.reveal_identity(actor=request.user, resident=resident)
    context = {"resident": resident, "revealed": revealed}
    if request.htmx:
        return render(request, "people/includes/identity.html", context)
    context["breadcrumbs"] = breadcrumbs(resident.area)
    return render(request, "people/resident_identity.html", context)
