"""An owner erases the organisation; a person exports their data and deletes their account."""

import json

import pytest
from django.contrib.auth import get_user_model

from inclusion.api.models import AccessToken
from inclusion.assessments.answers import save_answer
from inclusion.assessments.models import Answer, Assessment
from inclusion.assessments.rounds import start_assessment
from inclusion.handbook.services import get_handbook, import_content
from inclusion.organisations.models import Membership, Organisation
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


@pytest.fixture
def organisation():
    import_content(get_handbook())
    organisation = OrganisationFactory(name="Erase Me", slug="erase-me")
    assessment, _ = start_assessment(title="T", organisation_kind="ngo", organisation=organisation)
    save_answer(assessment, "a1.c1", "yes")
    AccessToken.issue(organisation, None, "t")
    return organisation


def test_owner_deletes_the_organisation_and_everything_it_holds(client, organisation):
    owner = MembershipFactory(organisation=organisation, role="owner").user
    editor = MembershipFactory(organisation=organisation, role="editor").user
    kept = OrganisationFactory(slug="kept")
    start_assessment(title="Other", organisation_kind="ngo", organisation=kept)
    client.force_login(owner)

    response = client.post("/en/organisations/erase-me/delete/", {"confirmation": "erase me"})
    assert response.status_code == 200
    assert "Type the organisation’s name exactly" in response.content.decode()
    assert 'value="erase me"' in response.content.decode()
    assert Organisation.objects.filter(slug="erase-me").exists()

    response = client.post("/en/organisations/erase-me/delete/", {"confirmation": "Erase Me"})
    assert response.status_code == 302
    assert not Organisation.objects.filter(slug="erase-me").exists()
    assert not Answer.objects.exists() and not AccessToken.objects.exists()
    assert list(Assessment.objects.values_list("title", flat=True)) == ["Other"]
    assert get_user_model().objects.filter(pk=editor.pk).exists()  # people keep their accounts


def test_only_owners_can_delete(client, organisation):
    editor = MembershipFactory(organisation=organisation, role="editor").user
    client.force_login(editor)
    assert client.post("/en/organisations/erase-me/delete/", {"confirmation": "Erase Me"}).status_code == 403
    outsider = MembershipFactory(role="owner").user
    client.force_login(outsider)
    assert client.post("/en/organisations/erase-me/delete/", {"confirmation": "Erase Me"}).status_code == 404
    assert Organisation.objects.filter(slug="erase-me").exists()


def test_person_downloads_their_data(client, organisation):
    member = MembershipFactory(organisation=organisation, role="editor").user
    client.force_login(member)
    assert client.get("/en/accounts/my-data/").status_code == 200
    response = client.get("/en/accounts/my-data/?download=1")
    data = json.loads(response.content)
    assert response.headers["Content-Disposition"].startswith('attachment; filename="inclusion-toolkit-my-data-')
    assert data["account"]["email"] == member.email
    assert data["memberships"][0]["slug"] == "erase-me"


def test_account_deletion_needs_the_password_and_respects_last_owners(client, organisation):
    owner = MembershipFactory(organisation=organisation, role="owner").user
    MembershipFactory(organisation=organisation, role="viewer")
    client.force_login(owner)
    body = client.get("/en/accounts/delete/").content.decode()
    assert "Make someone else an owner there first" in body
    client.post("/en/accounts/delete/", {"password": PASSWORD})
    assert get_user_model().objects.filter(pk=owner.pk).exists()

    solo = MembershipFactory(organisation=OrganisationFactory(slug="solo", name="Solo Org"), role="owner").user
    client.force_login(solo)
    assert "Solo Org" in client.get("/en/accounts/delete/").content.decode()
    client.post("/en/accounts/delete/", {"password": "wrong"})
    assert get_user_model().objects.filter(pk=solo.pk).exists()
    response = client.post("/en/accounts/delete/", {"password": PASSWORD})
    assert response.status_code == 302
    assert not get_user_model().objects.filter(pk=solo.pk).exists()
    assert not Organisation.objects.filter(slug="solo").exists()
    assert Membership.objects.filter(organisation=organisation).count() == 2
