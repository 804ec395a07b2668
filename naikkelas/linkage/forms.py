"""Forms of the duplicate queue."""

from django import forms
from django.utils.translation import gettext_lazy as _


class MergeForm(forms.Form):
    """Which of the two enterprises is kept; the other is folded into it."""

    survivor = forms.TypedChoiceField(label=_("Keep"), coerce=int, widget=forms.RadioSelect)

    def __init__(self, data=None, *, candidate) -> None:
        data = data.copy() if data is not None else None
        if data is not None and not data.get("survivor"):
            data["survivor"] = candidate.enterprise_a_id  # the default the page pre-selects
        super().__init__(data)
        self.fields["survivor"].choices = [
            (e.pk, f"{e.name} (#{e.pk})") for e in (candidate.enterprise_a, candidate.enterprise_b)]
        self.fields["survivor"].initial = candidate.enterprise_a_id
