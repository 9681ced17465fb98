import pytest

from inclusion.organisations.models import OrganisationKind, Role

from ..factories import MembershipFactory, OrganisationFactory


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="Rīgas pilsētas dome", slug="rigas-pilsetas-dome", kind=OrganisationKind.AUTHORITY)


@pytest.fixture
def owner(organisation):
    return MembershipFactory(organisation=organisation, role=Role.OWNER, user__email="owner@example.org")


@pytest.fixture
def editor(organisation):
    return MembershipFactory(organisation=organisation, role=Role.EDITOR, user__email="editor@example.org")


@pytest.fixture
def viewer(organisation):
    return MembershipFactory(organisation=organisation, role=Role.VIEWER, user__email="viewer@example.org")


@pytest.fixture
def outsider(db):
    """A member of another organisation only: seeded so that a leak would have something to show."""
    return MembershipFactory(
        organisation=OrganisationFactory(name="Cita biedrība", slug="cita-biedriba"),
        role=Role.OWNER,
        user__email="outsider@example.org",
    )
