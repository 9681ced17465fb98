from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    """What kind of organisation answers: decides which checklist items apply to it."""

    AUTHORITY = "authority", _("Local or regional authority")
    NGO = "ngo", _("NGO or civil society organisation")
    REFUGEE_LED = "refugee_led", _("Refugee-led organisation")
    FAITH = "faith", _("Faith-based organisation")
    EDUCATION = "education", _("School or other education provider")
    BUSINESS = "business", _("Business or employer")
    OTHER = "other", _("Other")


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    EDITOR = "editor", _("Editor")
    VIEWER = "viewer", _("Viewer")

    @property
    def rank(self) -> int:
        return {"viewer": 1, "editor": 2, "owner": 3}[self.value]


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(_("kind of organisation"), max_length=20, choices=OrganisationKind.choices)
    country = models.CharField(_("country"), max_length=2, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    # A region within the country (a planning region, a county…): networks filter by it.
    region = models.CharField(_("region"), max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.VIEWER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_user")]

    def __str__(self):
        return f"{self.user} · {self.organisation} ({self.role})"

    def can(self, role: str) -> bool:
        """Whether this membership has at least the given role."""
        return Role(self.role).rank >= Role(role).rank


class Invitation(models.Model):
    """An offer to join an organisation, sent by email.

    Only a SHA-256 hash of the token is stored: the link in the email is the one place the
    token exists, so a copy of the database cannot be used to join an organisation.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.VIEWER)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} → {self.organisation} ({self.role})"
