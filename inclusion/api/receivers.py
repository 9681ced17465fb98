"""An access token speaks for the person who created it: it stops when they leave.

Revoked, not deleted, so that the organisation's token list still shows what existed. Hooked
to Membership's pre_delete, which covers every way a membership ends (leaving, being removed,
deleting the account, the admin): before the deletion the token still names its creator
(`created_by` is set to NULL afterwards), and in the same transaction as the deletion.
"""

from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.utils import timezone

from inclusion.organisations.models import Membership

from .models import AccessToken


def revoke_tokens_of(user_id: int, organisation_id: int) -> int:
    """Revoke the active tokens that this person created for this organisation; how many."""
    return AccessToken.objects.filter(
        organisation_id=organisation_id, created_by_id=user_id, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())


@receiver(pre_delete, sender=Membership, dispatch_uid="inclusion.api.revoke_tokens_when_membership_ends")
def _membership_ends(sender, instance: Membership, **kwargs):
    revoke_tokens_of(instance.user_id, instance.organisation_id)
