"""Small helpers shared by the page views of every app."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _


def scoped_or_404(model, user, **lookup):
    """Fetch one place-bound record through the user's scope: outside it is a 404, never a 403."""
    return get_object_or_404(model.objects.visible_to(user), **lookup)


def require_perm(user, perm, record):
    """The user may see the record (it was fetched in scope) but may they do this to it?"""
    if not user.has_perm(perm, record):
        raise PermissionDenied


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
