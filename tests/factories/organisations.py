import datetime

import factory
from django.utils import timezone
from django.utils.text import slugify

from inclusion.core.tokens import hash_token, new_token
from inclusion.organisations.models import Invitation, Membership, Organisation, OrganisationKind, Role

from .users import UserFactory


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.LazyAttribute(lambda organisation: slugify(organisation.name))
    kind = OrganisationKind.NGO


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.VIEWER


def member_of(organisation, role, email=None):
    """A new user with ``role`` in ``organisation``; the user is what most tests need."""
    user = UserFactory(**({"email": email} if email else {}))
    MembershipFactory(user=user, organisation=organisation, role=role)
    return user


class InvitationFactory(factory.django.DjangoModelFactory):
    """An open invitation; pass ``token="…"`` to know the link's secret."""

    class Meta:
        model = Invitation

    class Params:
        token = factory.LazyFunction(new_token)

    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"invited{n}@example.org")
    role = Role.VIEWER
    token_hash = factory.LazyAttribute(lambda invitation: hash_token(invitation.token))
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=14))


def membership_of(user):
    """The membership of a persona, who belongs to one organisation."""
    return user.memberships.select_related("organisation", "user").get()
