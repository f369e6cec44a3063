from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_safe

from fangkong.areas.pages import list_page
from fangkong.audit.filters import AuditEventFilter
from fangkong.audit.models import AuditEvent
from fangkong.audit.presentation import present
from fangkong.web import require_list

EVENTS_PER_PAGE = 50
READ = "audit.view_auditevent"


@require_safe
@login_required
def event_list(request):
    """Who did what to which record, newest first, in the reader's areas only."""
    require_list(request.user, READ)
    events = (
        AuditEvent.objects.visible_to(request.user, READ)
        .select_related("actor__worker", "area")
        .order_by("-at", "-pk")
    )
    return list_page(
        request,
        AuditEventFilter(request.GET, queryset=events),
        template="audit/event_list.html",
        rows_template="audit/event_rows.html",
        per_page=EVENTS_PER_PAGE,
        rows=lambda page: present(page, request.user),
    )
