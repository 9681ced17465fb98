"""Dates and numbers follow the interface language: day before month in both languages."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.formats import date_format, number_format

from inclusion.assessments import services
from inclusion.assessments.models import Action
from inclusion.handbook.services import get_handbook, import_content
from inclusion.organisations.models import Role

from ..factories import MembershipFactory

DAY = datetime.date(2026, 11, 27)
MOMENT = datetime.datetime(2026, 11, 27, 14, 5)


@pytest.mark.parametrize(
    ("language", "format_name", "expected"),
    [
        ("en", "SHORT_DATE_FORMAT", "27/11/2026"),
        ("en", "DATE_FORMAT", "27 November 2026"),
        ("en", "YEAR_MONTH_FORMAT", "November 2026"),
        ("lv", "SHORT_DATE_FORMAT", "27.11.2026."),
        ("lv", "DATE_FORMAT", "2026. gada 27. novembris"),
        ("lv", "YEAR_MONTH_FORMAT", "2026. g. novembris"),
    ],
)
def test_date_formats_put_the_day_first(language, format_name, expected):
    with translation.override(language):
        assert date_format(DAY, format_name) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "27/11/2026 14:05 · 27 November 2026, 14:05"),
        ("lv", "27.11.2026. 14:05 · 2026. gada 27. novembris, 14:05"),
    ],
)
def test_date_times_use_the_24_hour_clock(language, expected):
    template = Template('{{ moment|date:"SHORT_DATETIME_FORMAT" }} · {{ moment|date:"DATETIME_FORMAT" }}')
    with translation.override(language):
        assert template.render(Context({"moment": MOMENT})) == expected


@pytest.mark.parametrize(("language", "expected"), [("en", "1234.5"), ("lv", "1234,5")])
def test_numbers_use_the_languages_decimal_separator(language, expected):
    with translation.override(language):
        assert number_format(1234.5, decimal_pos=1) == expected


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "expected"), [("en", "27/11/2026"), ("lv", "27.11.2026.")])
def test_action_plan_shows_due_dates_day_first(client, language, expected):
    import_content(get_handbook())
    owner = MembershipFactory(role=Role.OWNER)
    assessment, _token = services.start_assessment(
        title="Reception", organisation_kind="ngo", organisation=owner.organisation, user=owner.user
    )
    Action.objects.create(assessment=assessment, area="a1", description="Hire interpreters", due_date=DAY)
    client.force_login(owner.user)

    body = client.get(f"/{language}/assessments/{assessment.public_id}/actions/").content.decode()

    assert f">{expected}</td>" in body
    assert "11/27/2026" not in body
