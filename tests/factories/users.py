from functools import cache

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

PASSWORD = "correct horse battery staple"


@cache
def _password_hash() -> str:
    # Every factory user shares one hash of the same password (made with the tests' fast hasher).
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


class StaffFactory(UserFactory):
    """Platform staff, with the authenticator app the staff middleware insists on
    (``totp=False`` for one without)."""

    email = factory.Sequence(lambda n: f"staff{n}@example.org")
    is_staff = True

    @factory.post_generation
    def totp(user, create, extracted, **kwargs):
        if create and extracted is not False:
            from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

            TOTP.activate(user, generate_totp_secret())


class ModeratorFactory(UserFactory):
    """A member of the Moderators group (created by a data migration), who reviews practices."""

    email = factory.Sequence(lambda n: f"moderator{n}@example.org")

    @factory.post_generation
    def moderators_group(user, create, extracted, **kwargs):
        if create:
            user.groups.add(Group.objects.get(name="Moderators"))
            # Moderators must use two-factor sign-in, like staff: give them an authenticator app.
            TOTP.activate(user, generate_totp_secret())
