"""`{% facilitator record %}`: who facilitated a certificate or sentra support, linked to the
program when the viewing user may open it (the same rule as the enterprise timeline)."""

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString

register = template.Library()


def facilitator_html(record, user) -> SafeString:
    """The program as a link (or its name alone outside the user's wilayah), else the text,
    else a dash. `record` has `program` and `facilitated_by`."""
    program = record.program
    if program is None:
        return conditional_escape(record.facilitated_by or "—")
    url = program.url_for(user)
    return format_html('<a href="{}">{}</a>', url, program.name) if url else \
        conditional_escape(program.name)


@register.simple_tag(takes_context=True)
def facilitator(context, record) -> SafeString:
    return facilitator_html(record, context["user"])
