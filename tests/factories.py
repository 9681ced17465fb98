"""factory_boy factories shared by the whole suite."""

from functools import cache

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils.text import slugify

from inclusion.organisations.models import Membership, Organisation, OrganisationKind, Role

PASSWORD = "correct horse battery staple"


@cache
def _password_hash() -> str:
    # Hashing is deliberately slow; every factory user shares one hash of the same password.
    return make_password(PASSWORD)


class UserFactory(factory.django.DjangoModelFactory):
    """A user who signs in with their email address, which is verified (allauth EmailAddress)."""

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    username = factory.SelfAttribute("email")
    password = factory.LazyFunction(_password_hash)

    @factory.post_generation
    def verified_email(user, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)


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
