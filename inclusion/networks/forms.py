from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from inclusion.organisations.countries import is_country_code

from .models import Network, Sharing


class NetworkForm(forms.Form):
    name = forms.CharField(label=_("Name of the network"), max_length=Network._meta.get_field("name").max_length)
    country = forms.CharField(
        label=_("Country (optional)"),
        required=False,
        max_length=2,
        validators=[RegexValidator(r"^[A-Za-z]{2}$", _("Enter a two-letter country code, such as LV."))],
        help_text=_("Two-letter code, such as LV for Latvia."),
    )
    description = forms.CharField(
        label=_("Description (optional)"),
        required=False,
        max_length=Network._meta.get_field("description").max_length,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    is_public = forms.BooleanField(
        label=_("Public page"),
        required=False,
        help_text=_("Anyone may read the network's name and description. Members' data is never public."),
    )

    @classmethod
    def for_network(cls, network, data=None):
        initial = {field: getattr(network, field) for field in ("name", "country", "description", "is_public")}
        return cls(data, initial=initial)

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Enter the name of the network."))
        return name

    def clean_country(self):
        code = self.cleaned_data["country"].upper()
        if code and not is_country_code(code):
            raise forms.ValidationError(
                _("“%(code)s” is not a country code. Use a two-letter code such as LV for Latvia."),
                params={"code": code},
            )
        return code


class InviteOrganisationForm(forms.Form):
    organisation = forms.SlugField(
        label=_("The organisation's address name"),
        help_text=_("The last part of the organisation's address, such as riga-welcome."),
    )


class SharingForm(forms.Form):
    sharing = forms.ChoiceField(label=_("What we share with this network"), choices=Sharing.choices)


class JoinForm(forms.Form):
    organisation = forms.ChoiceField(label=_("Which organisation asks to join"))

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(organisation.slug, organisation.name) for organisation in organisations]
