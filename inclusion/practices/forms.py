import re

from babel import Locale
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _

from inclusion.core import i18n
from inclusion.handbook.services import get_handbook

from .models import (
    CITY_MAX_LENGTH,
    EVIDENCE_MAX_LENGTH,
    LINK_MAX_LENGTH,
    MAX_LINKS,
    MESSAGE_MAX_LENGTH,
    ORGANISATION_NAME_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    IndicatorScore,
    OrganisationType,
    TargetGroup,
)

_web_address = URLValidator(schemes=["http", "https"])


def _country_codes() -> set[str]:
    return {code for code in Locale.parse("en").territories if re.fullmatch(r"[A-Z]{2}", code)}


class PracticeForm(forms.Form):
    """A practice in one or more languages: per language its title, organisation, city and
    description; the rest is the same in every language."""

    success_factor = forms.ChoiceField(
        label=_("Key area and success factor"),
        help_text=_("The success factor of the handbook that the practice illustrates best."),
    )
    organisation_type = forms.ChoiceField(
        label=_("Type of organisation running it"), choices=OrganisationType.choices, widget=forms.RadioSelect
    )
    target_groups = forms.MultipleChoiceField(
        label=_("Who it is for"), choices=TargetGroup.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    countries = forms.CharField(
        label=_("Countries"),
        required=False,
        max_length=200,
        help_text=_("Two-letter country codes separated by commas, for example LV, EE."),
    )
    links = forms.CharField(
        label=_("Links"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Web addresses starting with http:// or https://, one per line (at most 10)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        edition = get_handbook().edition(get_language())
        self.fields["success_factor"].choices = [
            ("", "—"),
            *[
                (f"{area.number}. {area.title}", [(factor.id, factor.name) for factor in area.success_factors])
                for area in edition.areas
            ],
        ]
        self.languages = []
        for code in i18n.language_codes():
            name = get_language_info(code)["name_translated"]
            self.fields[f"title_{code}"] = forms.CharField(
                label=_("Title (%(language)s)") % {"language": name}, required=False, max_length=TITLE_MAX_LENGTH
            )
            self.fields[f"organisation_name_{code}"] = forms.CharField(
                label=_("Who runs it (%(language)s)") % {"language": name},
                required=False,
                max_length=ORGANISATION_NAME_MAX_LENGTH,
            )
            self.fields[f"city_{code}"] = forms.CharField(
                label=_("City or place (%(language)s)") % {"language": name},
                required=False,
                max_length=CITY_MAX_LENGTH,
            )
            self.fields[f"text_{code}"] = forms.CharField(
                label=_("Description (%(language)s)") % {"language": name},
                required=False,
                max_length=TEXT_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 10}),
                help_text=_("What was done, by whom, with whom, and what made it work. Paragraphs and - lists work."),
            )
            self.languages.append(
                (
                    code,
                    name,
                    [self[f"{field}_{code}"] for field in ("title", "organisation_name", "city", "text")],
                )
            )

    @classmethod
    def initial_from(cls, content: dict) -> dict:
        initial = {
            "success_factor": content.get("success_factor", ""),
            "organisation_type": content.get("organisation_type", ""),
            "target_groups": content.get("target_groups", []),
            "countries": ", ".join(content.get("countries", [])),
            "links": "\n".join(content.get("links", [])),
        }
        for name in ("title", "organisation_name", "city", "text"):
            for code, text in (content.get(name) or {}).items():
                initial[f"{name}_{code}"] = text
        return initial

    def clean_countries(self):
        codes = [code.upper() for code in re.split(r"[\s,;]+", self.cleaned_data["countries"]) if code]
        known = _country_codes()
        unknown = [code for code in codes if code not in known]
        if unknown:
            raise ValidationError(
                _("Not a two-letter country code: %(codes)s. Use codes such as LV, EE or DE.")
                % {"codes": ", ".join(unknown)}
            )
        return list(dict.fromkeys(codes))

    def clean_links(self):
        links = [line.strip() for line in self.cleaned_data["links"].splitlines() if line.strip()]
        if len(links) > MAX_LINKS:
            raise ValidationError(_("Give at most %(limit)s links.") % {"limit": MAX_LINKS})
        for link in links:
            if len(link) > LINK_MAX_LENGTH:
                raise ValidationError(
                    _("A link is too long (at most %(limit)s characters).") % {"limit": LINK_MAX_LENGTH}
                )
            try:
                _web_address(link)
            except ValidationError:
                raise ValidationError(
                    _("“%(link)s” is not a web address starting with http:// or https://.") % {"link": link}
                ) from None
        return links

    def clean(self):
        cleaned = super().clean()
        written = []
        for code, name, _fields in self.languages:
            title, text = cleaned.get(f"title_{code}", ""), cleaned.get(f"text_{code}", "")
            others = cleaned.get(f"organisation_name_{code}", "") or cleaned.get(f"city_{code}", "")
            if title and not text and f"text_{code}" not in self.errors:
                self.add_error(f"text_{code}", _("Describe the practice in %(language)s too.") % {"language": name})
            elif text and not title and f"title_{code}" not in self.errors:
                self.add_error(
                    f"title_{code}", _("Give the practice a title in %(language)s too.") % {"language": name}
                )
            elif others and not title and not text:
                self.add_error(
                    f"title_{code}", _("Give a title and a description in %(language)s too.") % {"language": name}
                )
            if title and text:
                written.append(code)
        if not written and not any(
            f"{field}_{code}" in self.errors for code in i18n.language_codes() for field in ("title", "text")
        ):
            default = settings.LANGUAGE_CODE
            self.add_error(
                f"title_{default}", _("Give the practice a title and a description in at least one language.")
            )
        return cleaned

    def content(self) -> dict:
        data = self.cleaned_data
        content = {
            name: i18n.clean_map({code: data.get(f"{name}_{code}", "") for code in i18n.language_codes()})
            for name in ("title", "organisation_name", "city", "text")
        }
        content.update(
            {
                "countries": data["countries"],
                "success_factor": data["success_factor"],
                "organisation_type": data["organisation_type"],
                "target_groups": data["target_groups"],
                "links": data["links"],
                "scores": {},
                "evidence": {},
            }
        )
        return content


class NewPracticeForm(PracticeForm):
    """For a new practice: which of the user's organisations it belongs to."""

    organisation = forms.ChoiceField(label=_("Organisation"), widget=forms.RadioSelect)

    def __init__(self, *args, memberships=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {str(m.organisation.pk): m.organisation for m in memberships}
        self.fields["organisation"].choices = [(pk, org.name) for pk, org in self.organisations.items()]
        self.order_fields(["organisation"])

    def clean_organisation(self):
        return self.organisations[self.cleaned_data["organisation"]]


class RatingForm(forms.Form):
    """The assessment table: one radio group per indicator, one evidence note per question."""

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            for question in criterion.questions:
                for indicator in question.indicators:
                    self.fields[f"indicator-{indicator.id}"] = forms.ChoiceField(
                        label=indicator.text, choices=IndicatorScore.choices, required=False, widget=forms.RadioSelect
                    )
                self.fields[f"evidence-{question.id}"] = forms.CharField(
                    label=_("Evidence (optional)"),
                    required=False,
                    max_length=EVIDENCE_MAX_LENGTH,
                    widget=forms.Textarea(attrs={"rows": 2}),
                )

    @staticmethod
    def initial_from(rating) -> dict:
        if rating is None:
            return {}
        initial = {f"indicator-{key}": value for key, value in rating.scores.items()}
        initial.update({f"evidence-{key}": text for key, text in rating.evidence.items()})
        return initial

    def sections(self):
        """(criterion, [(question, [bound indicator fields], bound evidence field)]) for the template."""
        return [
            (
                criterion,
                [
                    (
                        question,
                        [self[f"indicator-{indicator.id}"] for indicator in question.indicators],
                        self[f"evidence-{question.id}"],
                    )
                    for question in criterion.questions
                ],
            )
            for criterion in self.criteria
        ]

    def scores(self) -> dict:
        return {
            name.removeprefix("indicator-"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("indicator-") and value
        }

    def evidence(self) -> dict:
        return {
            name.removeprefix("evidence-"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("evidence-") and value
        }


class SubmitForm(forms.Form):
    message = forms.CharField(
        label=_("A message for the moderators (optional)"),
        required=False,
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DecisionForm(forms.Form):
    PUBLISH, REQUEST_CHANGES, REJECT = "publish", "request_changes", "reject"

    decision = forms.ChoiceField(
        label=_("Your decision"),
        widget=forms.RadioSelect,
        choices=[
            (PUBLISH, _("Publish it in the library")),
            (REQUEST_CHANGES, _("Ask for changes")),
            (REJECT, _("Reject it")),
        ],
    )
    message = forms.CharField(
        label=_("Message to the submitter"),
        required=False,
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Needed when you ask for changes or reject: say what should change, or why."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") in (self.REQUEST_CHANGES, self.REJECT) and not cleaned.get("message", "").strip():
            self.add_error("message", _("Write a message to the submitter: say what should change, or why."))
        return cleaned
