"""Page helpers that know areas: lists narrowed to an area, with its breadcrumbs."""

from django.http import Http404
from django.shortcuts import render

from fangkong.areas.models import Area, is_area_code
from fangkong.areas.selectors import breadcrumbs
from fangkong.web import CappedPaginator, scoped_or_404


def within_area(request, params=None):
    """The area a list is narrowed to by `?within=<code>` (of `params`, else of the request's
    query): None if not asked, 404 if not seen."""
    code = (request.GET if params is None else params).get("within")
    if not code:
        return None
    if not is_area_code(code):
        raise Http404
    return scoped_or_404(Area, request.user, code=code)


def list_page(request, filterset, *, template, rows_template, per_page=50, rows=None, **context):
    """A filtered, paginated list; a filter typed into the form (htmx) refreshes the rows only.

    `filterset` is bound to the request and built on a scoped queryset; `rows` may turn the
    page's records into what the rows template shows (e.g. add their key groups).
    """
    area = within_area(request)
    if area:
        context.setdefault("breadcrumbs", breadcrumbs(area))
    if not filterset.is_valid():
        page = CappedPaginator(filterset.queryset.none(), per_page).get_page(1)
    else:
        page = CappedPaginator(filterset.qs, per_page).get_page(request.GET.get("page"))
    if rows:
        page.object_list = rows(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    context.update(
        page=page, filter_form=filterset.form, area=area, query=query, rows_template=rows_template
    )
    return render(request, rows_template if request.htmx else template, context)
