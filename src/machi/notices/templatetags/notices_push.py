"""``{% push_control %}``: the 「この端末で通知を受け取る」 section of the notice pages."""

from __future__ import annotations

from typing import Any

from django import template

from machi.notices import selectors
from machi.notices.delivery import vapid

register = template.Library()


@register.inclusion_tag("notices/_push.html", takes_context=True)
def push_control(
    context: template.Context, categories: Any = None, districts: Any = None
) -> dict[str, Any]:
    """The city's categories and districts are read unless the page has them already."""
    request = context["request"]
    municipality = request.municipality
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "categories": selectors.categories(municipality=municipality)
        if categories is None
        else categories,
        "districts": selectors.districts(municipality=municipality)
        if districts is None
        else districts,
        "vapid_key": vapid.public_key(),
    }
