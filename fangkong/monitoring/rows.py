"""The day page's rows as HTML, made here rather than by a template.

Thirty rows with their check forms through Django's template engine were a third of the
page's time (5 ms of 16: every variable, tag and translation is resolved again for each row);
`format_html` escapes every value as a template does, and the words every row repeats are
translated once a page. The same function makes a row for the page and for the row htmx
swaps in after a check."""

from django.middleware.csrf import get_token
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fangkong.monitoring.models import HealthCheck
from fangkong.monitoring.selectors import Status


def braced(text):
    """Text escaped for HTML, and for the `str.format` that fills in a row's own values."""
    return mark_safe(escape(text).replace("{", "{{").replace("}", "}}"))


# A row's check form: `{name}` is the page's (its words, the CSRF token), `{{name}}` the
# row's own, filled in by `check_form`.
FORM = (
    '<form class="check-form mt-2" method="post" action="{{url}}" hx-post="{{url}}" '
    'hx-target="#plan-{{pk}}" hx-swap="outerHTML">'
    '<input type="hidden" name="csrfmiddlewaretoken" value="{csrf}">'
    '<input type="hidden" name="uuid" id="p{{pk}}_uuid" value="{{uuid}}">{{top}}'
    '<div class="d-flex gap-2"><label class="visually-hidden" for="p{{pk}}_temperature">'
    '{label}</label><div class="input-group"><input type="number" name="temperature" '
    'id="p{{pk}}_temperature" class="form-control{{invalid}}" inputmode="decimal" step="0.1" '
    'min="34" max="43" placeholder="{placeholder}" required value="{{typed}}">'
    '<span class="input-group-text">℃</span></div>'
    '<button class="btn btn-primary" type="submit">{record}</button>{{ask}}</div>'
    "{{bottom}}{{symptoms}}</form>"
)
# The link that opens a row's symptoms, keeping what was typed in it.
ASK = (
    '<a class="btn btn-outline-secondary text-nowrap" href="{{url}}" hx-get="{{url}}" '
    'hx-include="#p{{pk}}_temperature, #p{{pk}}_uuid" hx-target="#plan-{{pk}}" '
    'hx-swap="outerHTML">{label}</a>'
)


class Words:
    """What every row says, in the request's language, with each due time's badge once, and
    the check form with them and the page's CSRF token in, once a page."""

    def __init__(self, csrf_token):
        self.symptoms = _("Symptoms")
        self.note = _("note")
        self.open_alert = _("Open alert")
        self.by_self = _("self")
        self.ended = _("Ended")
        self.ends = _("Ends")
        self._due = {}
        self.form = format_html(
            FORM,
            csrf=braced(csrf_token),
            label=braced(_("temperature (℃)")),
            placeholder=braced(_("Temperature")),
            record=braced(_("Record")),
        )
        self.ask = format_html(ASK, label=braced(_("Symptoms…")))

    def due(self, slot):
        if (slot.due, slot.missed) not in self._due:
            hour = f"{slot.due:%H:%M}"
            self._due[(slot.due, slot.missed)] = (
                f"{_('Missed')} ({hour})" if slot.missed else _("Due by %(due)s") % {"due": hour}
            )
        return self._due[(slot.due, slot.missed)]


def badges(row, words):
    """The row's badges: category, misses, alert, end, and each slot of today."""
    plan = row.plan
    found = [("bg-info text-dark", plan.category.name)]
    if row.escalated:
        n = row.misses
        found.append(
            (
                "bg-danger",
                ngettext("%(n)s missed in 3 days", "%(n)s missed in 3 days", n) % {"n": n},
            )
        )
    if Status.ABNORMAL in row.statuses:
        found.append(("bg-danger", words.open_alert))
    if Status.ENDED in row.statuses:
        found.append(("bg-secondary", f"{words.ended} {plan.last_day:%m-%d}"))
    elif Status.ENDING in row.statuses:
        found.append(("bg-light text-dark border", f"{words.ends} {plan.last_day:%m-%d}"))
    for slot in row.slots:
        if slot.check is not None:
            by_self = slot.check.channel == HealthCheck.Channel.SELF
            text = f"{slot.check.reading}" + (f" · {words.by_self}" if by_self else "")
            found.append(("bg-danger" if slot.abnormal else "bg-success", text))
        else:
            css = "bg-warning text-dark" if slot.missed else "bg-light text-dark border"
            found.append((css, words.due(slot)))
    return format_html_join("", '<span class="badge {}">{}</span>', found)


def errors(messages, css):
    return format_html_join(
        "", '<div class="text-danger small{}">{}</div>', ((css, m) for m in messages)
    )


def symptom_buttons(row, words):
    """The symptoms as buttons a thumb can tap (44 px) and the note, when the row asks."""
    pk, form = row.plan.pk, row.form
    buttons = format_html_join(
        "",
        '<input type="checkbox" class="btn-check" name="symptoms" value="{0}" id="p{1}_s{0}" '
        'autocomplete="off"{2}><label class="btn btn-outline-danger" for="p{1}_s{0}">{3}</label>',
        (
            (s.pk, pk, mark_safe(" checked") if str(s.pk) in row.chosen else "", s.name)
            for s in row.symptoms
        ),
    )
    return format_html(
        '<fieldset class="symptoms mt-2"><legend class="small mb-1">{}</legend>{}</fieldset>'
        '<input type="text" name="note" maxlength="200" class="form-control mt-2" '
        'placeholder="{}" aria-label="{}" value="{}">',
        words.symptoms,
        buttons,
        words.note,
        words.note,
        (form["note"].value() or "") if form is not None else "",
    )


def check_form(row, words):
    """The row's check form: the temperature and its button; the symptoms and note opened on
    request, or with a refused check's values and reasons."""
    form = row.form
    if form is not None:
        typed = form["temperature"].value() or ""
        invalid = " is-invalid" if form.has_error("temperature") else ""
        top, bottom = form.non_field_errors(), form.errors.get("temperature", [])
    else:
        typed, invalid, top, bottom = row.typed, "", [], []
    own = {"url": escape(row.checks_url), "pk": row.plan.pk}
    return mark_safe(
        words.form.format(
            **own,
            uuid=escape(row.check_uuid),
            top=errors(top, " mb-1") if top else "",
            typed=escape(typed),
            invalid=invalid,
            ask="" if row.symptoms else words.ask.format(**own),
            bottom=errors(bottom, "") if bottom else "",
            symptoms=symptom_buttons(row, words) if row.symptoms else "",
        )
    )


def render_rows(rows, request):
    """Give each row its `html` (rows prepared by `views.with_check_forms`)."""
    words = Words(get_token(request))
    for row in rows:
        plan = row.plan
        row.html = format_html(
            '<div class="list-group-item board-row {}" id="plan-{}" data-statuses="{}">'
            '<div class="d-flex flex-wrap align-items-center gap-1">'
            '<a class="fw-bold me-1" href="{}">{}</a>{}'
            '<span class="small text-muted ms-auto">{}</span></div>{}</div>',
            row.tone,
            plan.pk,
            " ".join(sorted(row.statuses)),
            row.url,
            plan.resident.name,
            badges(row, words),
            plan.worker.name if plan.worker else "",
            check_form(row, words) if row.may_record else "",
        )
    return rows


def rest_normal_items(rows):
    """The names "the rest are normal" lists for confirmation, each with the plan and the
    uuid its check will carry (the row's own: a row recorded on its own is found again)."""
    return format_html_join(
        "",
        '<li id="rest-{0}">{1} <span class="small text-muted">{2}</span>'
        '<input type="hidden" name="check" value="{0}:{3}"></li>',
        ((r.plan.pk, r.plan.resident.name, r.plan.category.name, r.check_uuid) for r in rows),
    )
