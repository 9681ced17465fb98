from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from .countries import is_country_code
from .models import Organisation, OrganisationKind, Role
from .services import INVITATION_LIFETIME


class OrganisationForm(forms.Form):
    """The organisation's details. A plain form: saving is `services.create_organisation` /
    `services.update_organisation`, and an invalid form never touches the organisation."""

    name = forms.CharField(
        label=_("Name of the organisation"),
        max_length=Organisation._meta.get_field("name").max_length,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    kind = forms.ChoiceField(
        label=_("Kind of organisation"),
        choices=OrganisationKind.choices,
        widget=forms.RadioSelect,
        help_text=_("It decides which checklist items apply to you in self-assessments."),
    )
    country = forms.CharField(
        label=_("Country (optional)"),
        required=False,
        max_length=2,
        validators=[RegexValidator(r"^[A-Za-z]{2}$", _("Enter a two-letter country code, such as LV."))],
        help_text=_("Two-letter code, such as LV for Latvia."),
        widget=forms.TextInput(attrs={"autocomplete": "country", "size": 2}),
    )
    city = forms.CharField(
        label=_("City or municipality (optional)"),
        required=False,
        max_length=Organisation._meta.get_field("city").max_length,
    )
    region = forms.CharField(
        label=_("Region (optional)"),
        required=False,
        max_length=Organisation._meta.get_field("region").max_length,
        help_text=_("A region within the country, such as Vidzeme: networks compare organisations by region."),
    )

    @classmethod
    def for_organisation(cls, organisation, data=None):
        initial = {field: getattr(organisation, field) for field in ("name", "kind", "country", "city", "region")}
        return cls(data, initial=initial)

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Enter the name of the organisation."))
        return name

    def clean_country(self):
        code = self.cleaned_data["country"].upper()
        if code and not is_country_code(code):
            raise forms.ValidationError(
                _("“%(code)s” is not a country code. Use a two-letter code such as LV for Latvia or DE for Germany."),
                params={"code": code},
            )
        return code


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Email address"), widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    role = forms.ChoiceField(
        label=_("Role"),
        choices=Role.choices,
        initial=Role.VIEWER,
        widget=forms.RadioSelect,
        help_text=_("Owners manage members and settings; editors change self-assessments; viewers read them."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        days = INVITATION_LIFETIME.days
        self.fields["email"].help_text = " ".join(
            [
                gettext("We send the invitation link to this address."),
                ngettext("The link works once, for %(days)d day.", "The link works once, for %(days)d days.", days)
                % {"days": days},
            ]
        )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
