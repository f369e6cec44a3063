"""The workers' pages of public notices: the list (of an area, drafts, …), writing a notice
(from the standard advice or blank), its versions, revising, publishing and withdrawing it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from fangkong.areas.models import Area
from fangkong.notices import advice, selectors, services
from fangkong.notices.filters import NoticeFilter
from fangkong.notices.forms import DraftForm, NoticeForm, PublishForm, WithdrawForm
from fangkong.notices.models import Notice
from fangkong.notices.permissions import VIEW, WRITE
from fangkong.web import CappedPaginator, call_service, require_list, scoped_or_404

PER_PAGE = 50


@login_required
def notice_list(request):
    user = request.user
    require_list(user, VIEW)
    found = NoticeFilter(
        request.GET, selectors.notices(user).select_related("area"), request=request
    )
    page = CappedPaginator(found.qs, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    within = request.GET.get("within", "")
    area = (
        Area.objects.visible_to(user, WRITE).filter(code=within, level__in=services.LEVELS).first()
        if within
        else None
    )
    now = timezone.now()
    return render(
        request,
        "notices/list.html",
        {
            "page": page,
            "rows": [(notice, selectors.status(notice, now)) for notice in page.object_list],
            "filter": found,
            "query": query,
            "area": area,
            "advice": advice.STANDARD,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def notice_new(request, code):
    """A new notice of the area: blank, or started from a standard advice (`?advice=masks`)."""
    area = scoped_or_404(Area, request.user, perm=WRITE, code=code)
    if area.level not in services.LEVELS:
        raise Http404
    picked = advice.BY_KEY.get(request.GET.get("advice", ""))
    initial = {"kind": picked.kind, "title": picked.title, "body": picked.body} if picked else {}
    form = NoticeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        notice = call_service(
            form, services.create_notice, actor=request.user, area=area, **form.cleaned_data
        )
        if notice:
            messages.success(request, _("Draft saved. Publish it when it is ready."))
            return redirect("notice_detail", notice.pk)
    return render(
        request, "notices/write.html", {"form": form, "area": area, "title": _("New notice")}
    )


def _detail_context(user, notice, **forms):
    versions = list(notice.versions.visible_to(user, VIEW).order_by("-number"))
    draft = next((v for v in versions if v.published_at is None), None)
    published = [v for v in versions if v.published_at is not None]
    now = timezone.now()
    live = [v for v in published if v.published_at <= now]
    may_write = user.has_perm(WRITE, notice) and not notice.withdrawn_at
    return {
        "notice": notice,
        "status": selectors.status(notice, now),
        "now": now,
        "draft": draft,
        "published": published,
        "authoritative": live[0] if live else None,
        "may_write": may_write,
        "publish_form": forms.get("publish_form")
        or (PublishForm(initial={"version": draft.number}) if draft and may_write else None),
        "withdraw_form": forms.get("withdraw_form") or (WithdrawForm() if may_write else None),
        **forms,
    }


@login_required
def notice_detail(request, pk):
    notice = scoped_or_404(Notice, request.user, pk=pk)
    return render(request, "notices/detail.html", _detail_context(request.user, notice))


@login_required
@require_http_methods(["GET", "POST"])
def notice_edit(request, pk):
    """Write the draft: the one waiting, else the next version of a published notice."""
    notice = scoped_or_404(Notice, request.user, perm=WRITE, pk=pk)
    with_draft = notice.versions.visible_to(request.user, VIEW).order_by("-number").first()
    form = DraftForm(
        request.POST or None,
        initial={"title": with_draft.title, "body": with_draft.body} if with_draft else {},
    )
    if request.method == "POST" and form.is_valid():
        draft = call_service(
            form, services.save_draft, actor=request.user, notice=notice, **form.cleaned_data
        )
        if draft:
            messages.success(request, _("Draft saved. Publish it when it is ready."))
            return redirect("notice_detail", notice.pk)
    return render(
        request,
        "notices/write.html",
        {"form": form, "area": notice.area, "notice": notice, "title": _("Revise the notice")},
    )


@login_required
@require_POST
def notice_publish(request, pk):
    notice = scoped_or_404(Notice, request.user, perm=WRITE, pk=pk)
    form = PublishForm(request.POST)
    if form.is_valid():
        version = call_service(
            form, services.publish, actor=request.user, notice=notice, **form.cleaned_data
        )
        if version:
            messages.success(request, _("Published."))
            return redirect("notice_detail", notice.pk)
    context = _detail_context(request.user, notice, publish_form=form)
    return render(request, "notices/detail.html", context, status=400)


@login_required
@require_POST
def notice_withdraw(request, pk):
    notice = scoped_or_404(Notice, request.user, perm=WRITE, pk=pk)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        done = call_service(
            form, services.withdraw, actor=request.user, notice=notice, **form.cleaned_data
        )
        if done:
            messages.success(request, _("The notice was withdrawn from the public page."))
            return redirect("notice_detail", notice.pk)
    context = _detail_context(request.user, notice, withdraw_form=form)
    return render(request, "notices/detail.html", context, status=400)
