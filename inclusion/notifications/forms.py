from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import Frequency, Kind
from .preferences import choices_for


class PreferencesForm(forms.Form):
    """E-mail language, then per kind: e-mail on/off and how often."""

    language = forms.ChoiceField(label=_("Language of e-mails"), choices=settings.LANGUAGES)

    def __init__(self, *args, preference, **kwargs):
        initial = {"language": preference.language}
        for kind in Kind:
            chosen = choices_for(preference, kind.value)
            initial[f"{kind.value}_email"] = chosen["email"]
            initial[f"{kind.value}_frequency"] = chosen["frequency"]
        super().__init__(*args, initial=initial, **kwargs)
        for kind in Kind:
            self.fields[f"{kind.value}_email"] = forms.BooleanField(label=_("E-mail"), required=False)
            self.fields[f"{kind.value}_frequency"] = forms.ChoiceField(label=_("How often"), choices=Frequency.choices)

    def rows(self):
        return [(kind.label, self[f"{kind.value}_email"], self[f"{kind.value}_frequency"]) for kind in Kind]

    def kinds(self) -> dict[str, dict]:
        return {
            kind.value: {
                "email": self.cleaned_data[f"{kind.value}_email"],
                "frequency": self.cleaned_data[f"{kind.value}_frequency"],
            }
            for kind in Kind
        }
