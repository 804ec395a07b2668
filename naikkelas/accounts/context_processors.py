from django.http import HttpRequest

from naikkelas.accounts.models import Role


def assignment(request: HttpRequest) -> dict:
    """The signed-in user's role and wilayah, for the header of every page."""
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    from naikkelas.wilayah.models import Wilayah

    if not hasattr(request, "_assignment_context"):  # templates may render the context twice
        request._assignment_context = {
            "user_role_label": Role(user.role).label,
            "user_wilayah_label": Wilayah.label_for(user.kode_wilayah),
        }
    return request._assignment_context
