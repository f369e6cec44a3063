"""The user's own notifications: a list, and marking them read."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from fangkong.notifications.services import mark_all_read


@login_required
def notification_list(request):
    page = Paginator(request.user.notifications.all(), 50).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page, "query": {}})


@login_required
@require_POST
def notifications_read(request):
    mark_all_read(request.user, timezone.now())
    return redirect("notification_list")
