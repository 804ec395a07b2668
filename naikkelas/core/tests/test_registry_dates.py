"""Every date the registry keeps lies in its years: '15/07/0024' is refused, not kept as year 24."""

import datetime

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models

from naikkelas.core.validators import validate_registry_year

APPS = ("enterprises", "programs", "sentra", "certifications", "financing")
DATES = [(model, field) for app in APPS for model in apps.get_app_config(app).get_models()
         for field in model._meta.concrete_fields if type(field) is models.DateField]


def test_the_registry_keeps_dates_in_these_apps():
    assert len(DATES) >= 14  # programs 6, sentra 4, certifications 2, financing 3


@pytest.mark.parametrize("model, field", DATES, ids=lambda v: getattr(v, "name", None)
                         or getattr(v, "__name__", ""))
def test_every_date_refuses_a_year_outside_the_registry(model, field):
    assert validate_registry_year in field.validators, f"{model.__name__}.{field.name}"
    with pytest.raises(ValidationError, match="Tahun 24 berada di luar rentang 1900–2100"):
        field.clean(datetime.date(24, 7, 15), None)
    assert field.clean(datetime.date(2024, 7, 15), None) == datetime.date(2024, 7, 15)
