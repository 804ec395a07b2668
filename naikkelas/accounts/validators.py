"""Password rules on top of Django's: a strong password mixes letters with digits or symbols."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class MixedCharacterValidator:
    """Require at least one letter and at least one digit or symbol."""

    def validate(self, password: str, user=None) -> None:
        if not re.search(r"[A-Za-z]", password) or not re.search(r"[^A-Za-z]", password):
            raise ValidationError(self.get_help_text(), code="password_not_mixed")

    def get_help_text(self) -> str:
        return _("Your password must contain letters and at least one digit or symbol.")
