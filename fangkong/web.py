"""Small helpers shared by the page views of every app."""

import uuid

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from fangkong import dates

PER_PAGE = 50


def view_perm(model):
    """The permission that reading a kind of record asks for ("people.view_resident")."""
    return f"{model._meta.app_label}.view_{model._meta.model_name}"


def scoped_or_404(model, user, *, perm=None, **lookup):
    """One place-bound record the user may view, else a 404 (outside the subtree or inside it
    without the view permission: the two are never told apart). With `perm`, the action the
    user is about to take on it: a record they may view but not act on is a 403."""
    record = get_object_or_404(model.objects.visible_to(user, view_perm(model)), **lookup)
    if perm:
        require_perm(user, perm, record)
    return record


def require_perm(user, perm, record):
    """The user may see the record (it was fetched in scope) but may they do this to it?"""
    if not user.has_perm(perm, record):
        raise PermissionDenied


def require_list(user, perm):
    """A list needs `perm` from one of the user's roles: without it the page is a 403."""
    if not user.has_perm(perm):
        raise PermissionDenied(_("Your role cannot see this list."))


def call_service(form, service, **kwargs):
    """Run a service for a valid form; its refusals land on the form, so nothing is lost."""
    try:
        return service(**kwargs)
    except PermissionDenied as error:
        form.add_error(None, str(error) or _("You may not do this here."))
        return None
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                form.add_error(field if field in form.fields else None, messages)
        else:
            form.add_error(None, error.messages)
        return None


def form_page(request, form, service, *, title, page_area=None, done, saved=None, **arguments):
    """A page with one form whose valid POST runs one service.

    The service gets the acting user, `arguments` and the form's data; on success the user
    is sent to `done(record)` with a message, otherwise the form shows what was refused.
    """
    if form.is_valid():
        record = call_service(form, service, actor=request.user, **arguments, **form.cleaned_data)
        if record:
            messages.success(request, saved(record) if saved else _("Saved."))
            return redirect(done(record))
    return render(request, "form.html", {"form": form, "area": page_area, "title": title})


class StyledForm(forms.Form):
    """A form whose widgets carry Bootstrap's classes, so templates stay one loop."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = css

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["class"] += " is-invalid"


def uuid_field():
    """The client uuid of a form that records: made when the page is shown, so a form sent
    twice (a double click, a retry) records once."""
    return forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4, label="", required=False)


def when_field(label):
    """A day and time, typed in the browser's own picker."""
    return forms.DateTimeField(
        label=label,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class CappedPaginator(Paginator):
    """Counts at most `cap` rows, in no order: "more than 1000" is all a reader of a list
    needs (exact totals are on the count pages), and counting or sorting a county's
    filtered million residents on every page cost more than showing the page."""

    cap = 1000

    @cached_property
    def count(self):
        return self.object_list.order_by()[: self.cap + 1].count()

    @property
    def capped(self):
        return self.count > self.cap


ID_MARK = 987654321


def link_format(name):
    """The URL of the view `name` for one record's id, as a format string ("/x/{}/"): one
    reverse() for the thousands of links of a chain or a site's board, not one each (a tenth
    to a fifth of those pages)."""
    return reverse(name, args=[ID_MARK]).replace(str(ID_MARK), "{}")


def paged(request, records):
    return CappedPaginator(records, PER_PAGE).get_page(request.GET.get("page"))


def without_page(request):
    """The query of the request without its page: for the links to other pages."""
    query = request.GET.copy()
    query.pop("page", None)
    return query


def list_page(request, perm, filterset, records, template, **context):
    """A list page: 403 without `perm`, then `records` filtered by `filterset` from the query
    and paged; `context` is added for the template."""
    require_list(request.user, perm)
    found = filterset(request.GET, records, request=request)
    return render(
        request,
        template,
        {
            "page": paged(request, found.qs),
            "query": without_page(request),
            "filter": found,
            "today": timezone.localdate(),
            **context,
        },
    )


def chosen_place(request, places):
    """(places, the one the request names by `area` code — else the first) for a page that
    records in one of the places where the user may: `places`, the areas (in order) their
    roles allow. None allowed: 403."""
    if not places:
        raise PermissionDenied(_("You may not do this here."))
    code = request.POST.get("area") or request.GET.get("area") or places[0].code
    return places, next((a for a in places if a.code == code), places[0])


def parse_day(text, default, window=dates.REPORT_DAY):
    """A date of the query (YYYY-MM-DD) in `window` (fangkong/dates.py), `default` if none.

    Returns (day, error): a malformed date or one outside the window gives `default` and the
    message the page shows beside its date, never a 404 or a 5xx."""
    return dates.parse(text, window, default)


def local_url(request, target, default):
    """`target` if it is a page of this site, else `default`.

    Only a path (`/residents/?page=2`) or a whole URL of the request's own host is followed:
    another host (`https://evil.example/`, `//evil.example`, `/\\evil.example`), another scheme
    (`javascript:`) and anything else (a view name, a relative path, nothing) fall back."""
    target = str(target or "").strip()
    if not target or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return default
    if target.startswith("/") or target.startswith(request.scheme + "://"):
        return target
    return default


def redirect_back(request, default):
    """Back to the page a form came from (its `next` field), if that is a page of this site;
    else to `default`, the page's own. Never `redirect(next)`: a `next` reading like a view
    name would be reversed (a 500 when it names none)."""
    return HttpResponseRedirect(local_url(request, request.POST.get("next"), default))
