"""Tokens whose creator has left the organisation or deleted the account stop working.

Before this release they kept answering; from now on inclusion.api.receivers revokes them as
the membership ends, and this migration catches up with the ones that ended earlier.
"""

from django.db import migrations
from django.db.models import Exists, OuterRef
from django.utils import timezone


def revoke_tokens_of_former_members(apps, schema_editor):
    AccessToken = apps.get_model("api", "AccessToken")
    Membership = apps.get_model("organisations", "Membership")
    creator_is_member = Membership.objects.filter(user_id=OuterRef("created_by_id"), organisation_id=OuterRef("organisation_id"))
    AccessToken.objects.filter(revoked_at__isnull=True).exclude(Exists(creator_is_member)).update(revoked_at=timezone.now())


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0001_initial"),
        ("organisations", "0001_initial"),
    ]

    operations = [migrations.RunPython(revoke_tokens_of_former_members, migrations.RunPython.noop)]
