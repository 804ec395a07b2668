"""What the list pages share."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_tables2 import RequestConfig, Table

PER_PAGE = 25


def render_table_page(request: HttpRequest, template: str, table: Table,
                      context: dict[str, Any] | None = None, *, per_page: int = PER_PAGE,
                      partial: bool = True) -> HttpResponse:
    """A list page: `table` paginated and sorted by the request (?page=, ?sort=) and rendered
    in `template` with `context`; an htmx request (a filter changed) gets only the template's
    `results` partial when it has one (`partial`)."""
    RequestConfig(request, paginate={"per_page": per_page}).configure(table)
    if partial and request.htmx:
        template += "#results"
    return render(request, template, {**(context or {}), "table": table})
