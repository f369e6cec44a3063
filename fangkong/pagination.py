"""The API's pages (DEFAULT_PAGINATION_CLASS). Apart from fangkong.apibase, which imports
drf-spectacular: its views read this setting while they load."""

from rest_framework import exceptions, pagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param


class CappedPagination(pagination.PageNumberPagination):
    """Pages of `PAGE_SIZE` whose `count` stops at `cap`: counting a county's 10⁶ visits
    exactly cost more than reading the page (bench/RESULTS.md), and a client wants the next
    page, not the millionth row's number. Above the cap `count` is the cap and
    `count_capped` is true; `next` is there as long as a row follows, at any depth. The page
    reads one row more than it shows to know that, so a last page costs no count at all."""

    cap = 10_000
    # A page past every table (5·10⁸ rows): a larger number would overflow the OFFSET.
    last_page = 10_000_000

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        size = self.get_page_size(request)
        try:
            self.number = int(request.query_params.get(self.page_query_param) or 1)
        except ValueError:
            self.number = 0
        if not 1 <= self.number <= self.last_page:
            raise exceptions.NotFound(self.invalid_page_message)
        start = (self.number - 1) * size
        rows = list(queryset[start : start + size + 1])
        if not rows and self.number > 1:
            raise exceptions.NotFound(self.invalid_page_message)
        self.more = len(rows) > size
        rows = rows[:size]
        if self.more:
            counted = (
                queryset.order_by()[: self.cap + 1].count()
                if hasattr(queryset, "order_by")
                else len(queryset)
            )
            self.count = max(min(counted, self.cap), start + size + 1)
            self.capped = counted > self.cap
        else:
            self.count, self.capped = start + len(rows), False
        return rows

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.count,
                "count_capped": self.capped,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_next_link(self):
        if not self.more:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.page_query_param, self.number + 1)

    def get_previous_link(self):
        if self.number == 1:
            return None
        url = self.request.build_absolute_uri()
        if self.number == 2:
            return remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.page_query_param, self.number - 1)

    def get_paginated_response_schema(self, schema):
        answer = super().get_paginated_response_schema(schema)
        answer["properties"]["count_capped"] = {
            "type": "boolean",
            "description": "True when more rows follow than `count` says: counting stops at 10,000.",
        }
        answer["required"].append("count_capped")
        return answer
