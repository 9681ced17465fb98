"""Make a platform staff account in one step: `manage.py create_staff EMAIL [--moderator]`.

`createsuperuser` does not fit how people sign in here (by e-mail, verified through allauth,
staff with two-factor): it asks for a username, leaves the address unverified and grants every
permission. This command creates (or promotes) an account that can sign in straight away and
says what comes next.
"""

import getpass
import secrets

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import translation

MODERATORS = "Moderators"


class Command(BaseCommand):
    help = "Create a verified platform staff account (or make an existing account staff) and say what to do next."

    def add_arguments(self, parser):
        parser.add_argument("email", help="the address the person signs in with")
        parser.add_argument(
            "--moderator", action="store_true", help=f'also add them to the "{MODERATORS}" group (practice library)'
        )
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help="do not ask for a password: generate one and print it once",
        )

    def handle(self, *args, email, moderator, interactive, **options):
        User = get_user_model()
        email = email.strip().lower()  # as allauth stores addresses: sign-in looks them up lowercased
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"{email!r} is not an e-mail address.") from None
        user = User.objects.filter(email__iexact=email).first()
        password = None
        if user is None:
            password = self._password(User(username=email, email=email), interactive)
        with transaction.atomic():
            created = user is None
            if created:
                user = User.objects.create_user(username=email, email=email, password=password, is_staff=True)
            else:
                user.is_staff = True
                user.save(update_fields=["is_staff"])
            EmailAddress.objects.filter(user=user).exclude(email__iexact=user.email).update(primary=False)
            address, _new = EmailAddress.objects.get_or_create(
                user=user, email__iexact=user.email, defaults={"email": user.email}
            )
            address.verified = address.primary = True
            address.save(update_fields=["verified", "primary"])
            if moderator:
                user.groups.add(Group.objects.get_or_create(name=MODERATORS)[0])
        self._report(user, created, password if not interactive else None, moderator)

    def _password(self, user, interactive: bool) -> str:
        if not interactive:
            return secrets.token_urlsafe(18)
        while True:
            password = getpass.getpass("Password (leave empty to generate one): ")
            if not password:
                return secrets.token_urlsafe(18)
            if getpass.getpass("Password (again): ") != password:
                self.stderr.write("The passwords differ. Try again.")
                continue
            try:
                password_validation.validate_password(password, user)
            except ValidationError as error:
                self.stderr.write("\n".join(error.messages))
                continue
            return password

    def _report(self, user, created: bool, generated: str | None, moderator: bool) -> None:
        with translation.override("en"):
            login, two_factor = reverse("account_login"), reverse("mfa_activate_totp")
            password_change = reverse("account_change_password")
            moderation = reverse("practices:moderation")
        write = self.stdout.write
        if created:
            write(self.style.SUCCESS(f"Created the staff account {user.email} (e-mail address verified)."))
        else:
            write(self.style.SUCCESS(f"{user.email} is now staff (e-mail address verified; password unchanged)."))
        if generated:
            write(f"Its password, shown only now: {generated}")
        in_group = user.groups.filter(name=MODERATORS).exists()
        write("")
        write("What to do next:")
        write(f"  1. Sign in at {login} (the site's address in front) with {user.email}.")
        if generated:
            write(f"     Then choose your own password: {password_change}")
        write(f"  2. Set up two-factor sign-in with an authenticator app ({two_factor}). Staff must:")
        write("     until it is set up, every page leads there. Keep the recovery codes somewhere safe.")
        if in_group:
            write(f'  3. In the "{MODERATORS}" group: submitted practices wait for review at {moderation}.')
        else:
            write(f'  3. Will they moderate the practice library? Add them to the "{MODERATORS}" group:')
            write(f"     manage.py create_staff {user.email} --moderator")
