"""When an account goes, its email addresses go from every row that holds them.

The account's own rows (addresses, two-factor devices, memberships) go with it by cascade;
what is left are rows that hold an address as text: invitations sent to it (by any
organisation, pending or used) and the admin's history of changes to the account. Hooked to
the user's pre_delete, so that it happens however the account is deleted (the "delete my
account" page, the admin, a shell), in the same transaction, while the addresses are still known.
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.db.models.signals import pre_delete
from django.dispatch import receiver

from inclusion.organisations.models import Invitation


def addresses_of(user) -> set[str]:
    """Every address the account has used: its current one and all it added."""
    addresses = set(EmailAddress.objects.filter(user=user).values_list("email", flat=True))
    if user.email:
        addresses.add(user.email)
    return {address.strip() for address in addresses if address.strip()}


def erase_addresses_of(user) -> None:
    addresses = addresses_of(user)
    if addresses:
        same_address = Q()
        for address in addresses:
            same_address |= Q(email__iexact=address)
        Invitation.objects.filter(same_address).delete()
    user_type = ContentType.objects.get_for_model(user, for_concrete_model=False)
    LogEntry.objects.filter(content_type=user_type, object_id=str(user.pk)).delete()


@receiver(pre_delete, sender=get_user_model(), dispatch_uid="inclusion.accounts.erase_addresses")
def _account_deleted(sender, instance, **kwargs):
    erase_addresses_of(instance)
