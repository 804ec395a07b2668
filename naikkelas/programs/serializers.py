"""API fields shared by the records credited to the program that facilitated them
(certificates, sentra support; models.Facilitated)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


# `program_name` and `facilitated_by` of a Facilitated model; list them, with `program`, in the
# model serializer's Meta.fields. A comment, not a docstring: the schema would take a docstring
# as the description of every serializer that mixes this in.
class FacilitatorFields(serializers.Serializer):
    program_name = serializers.CharField(
        source="program.name", read_only=True, allow_null=True, default=None,
        help_text=_("Name of the facilitating program, or null."))
    facilitated_by = serializers.CharField(
        source="facilitator", read_only=True,
        help_text=_("Who facilitated it: the program's name, else the facilitator as written."))
