"""Region pickers: the children of a region, limited to the user's wilayah."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from naikkelas.wilayah.models import Wilayah


@login_required
def children_options(request: HttpRequest) -> HttpResponse:
    """<option> elements for the regions directly under ?parent= (htmx-dependent selects)."""
    parent = next((request.GET[k] for k in ("parent", "kecamatan", "kabkota")
                   if request.GET.get(k)), "")
    regions = Wilayah.objects.visible_to(request.user).filter(parent_id=parent) if parent else []
    return render(request, "wilayah/options.html", {"regions": regions})
