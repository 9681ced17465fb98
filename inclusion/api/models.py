from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from inclusion.core.tokens import hash_token, new_token
from inclusion.organisations.models import Organisation

TOKEN_PREFIX = "itk_"  # noqa: S105 - a marker that makes leaked tokens recognisable, not a secret


class AccessToken(models.Model):
    """A personal access token for the API, scoped to one organisation.

    Only the SHA-256 of the token is stored; the first characters are kept in clear so a
    person can tell their tokens apart. Revoked tokens stay, for the record.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="access_tokens")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, organisation, user, name: str) -> tuple["AccessToken", str]:
        """A new token; the clear value is returned once and never stored."""
        token = new_token(TOKEN_PREFIX)
        record = cls.objects.create(
            organisation=organisation, created_by=user, name=name, token_hash=hash_token(token), prefix=token[:10]
        )
        return record, token
