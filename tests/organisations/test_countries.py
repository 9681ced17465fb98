"""An organisation's country is a real country code, or nothing."""

import pytest

from inclusion.organisations.countries import country_codes
from inclusion.organisations.forms import OrganisationForm
from inclusion.organisations.models import Organisation


def form(country):
    return OrganisationForm({"name": "Ozolnieku biedrība", "kind": "ngo", "country": country, "city": ""})


@pytest.mark.parametrize(("given", "stored"), [("LV", "LV"), ("lv", "LV"), ("ua", "UA"), ("XK", "XK"), ("", "")])
def test_real_country_codes_are_accepted_in_capitals(given, stored):
    organisation_form = form(given)

    assert organisation_form.is_valid(), organisation_form.errors
    assert organisation_form.cleaned_data["country"] == stored


@pytest.mark.parametrize("code", ["ZZ", "EU", "UN", "XA", "QQ", "L1", "LVA"])
def test_codes_that_are_not_countries_are_refused(code):
    organisation_form = form(code)

    assert not organisation_form.is_valid()
    assert "country" in organisation_form.errors


def test_country_list_is_the_worlds_countries():
    codes = country_codes()

    assert {"LV", "EE", "LT", "DE", "UA", "SY", "AF", "US"} <= codes
    assert 240 < len(codes) < 260


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "“ZZ” is not a country code. Use a two-letter code such as LV for Latvia or DE for Germany."),
        ("lv", "“ZZ” nav valsts kods. Izmantojiet divu burtu kodu, piemēram, LV (Latvija) vai DE (Vācija)."),
    ],
)
def test_organisation_settings_refuse_zz_in_the_users_language(client, owner, language, message):
    client.force_login(owner.user)
    url = f"/{language}/organisations/{owner.organisation.slug}/settings/"

    response = client.post(url, {"name": "Rīgas dome", "kind": "authority", "country": "zz", "city": ""})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert Organisation.objects.get(pk=owner.organisation.pk).country == ""
