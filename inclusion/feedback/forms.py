import datetime
import uuid
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from inclusion.core.i18n import localised
from inclusion.handbook.content import REFERENCE_LANGUAGE

from .bank import RESPONDENT_LANGUAGES, get_question_bank
from .models import OPTION_TEXT_MAX_LENGTH, QUESTION_TEXT_MAX_LENGTH, TEXT_ANSWER_MAX_LENGTH, QuestionKind
from .questions import CONDITION_KINDS

MAX_OPTIONS = 12
LANGUAGE_CHOICES = list(RESPONDENT_LANGUAGES.items())


class SurveySettingsForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=200, help_text=_("For your team, for example the service the survey is about.")
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=LANGUAGE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Respondents choose among these. The first one ticked is used where a text is missing."),
    )
    opens_on = forms.DateField(label=_("Opens on"), widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(label=_("Closes on"), widget=forms.DateInput(attrs={"type": "date"}))
    contact_name = forms.CharField(
        label=_("Who collects the answers"),
        max_length=200,
        help_text=_("Your organisation's name as respondents know it. Shown in the survey's privacy notice."),
        error_messages={"required": _("The survey cannot open without the name of who collects the answers.")},
    )
    contact = forms.CharField(
        label=_("Contact for questions"),
        max_length=200,
        help_text=_("An e-mail address or phone number where respondents can ask about their answers."),
        error_messages={"required": _("The survey cannot open without a contact for questions about privacy.")},
    )
    retention_months = forms.IntegerField(
        label=_("Keep responses for (months)"),
        min_value=1,
        max_value=120,
        initial=24,
        help_text=_("Older responses are deleted automatically."),
    )

    def clean_languages(self):
        """In the respondent pages' order, whatever order they were ticked in."""
        chosen = self.cleaned_data["languages"]
        return [code for code in RESPONDENT_LANGUAGES if code in chosen]

    def clean(self):
        cleaned = super().clean()
        opens_on, closes_on = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens_on and closes_on and closes_on < opens_on:
            self.add_error("closes_on", _("The closing date must not be before the opening date."))
        return cleaned


class NewSurveyForm(SurveySettingsForm):
    questions = forms.MultipleChoiceField(
        label=_("Questions from the question bank"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Written in all six languages. You can add your own questions afterwards."),
    )

    def __init__(self, *args, language="en", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["questions"].choices = [
            (question.id, localised(question.text, language, (REFERENCE_LANGUAGE,)))
            for question in get_question_bank().values()
        ]


class OwnQuestionForm(forms.Form):
    """One text box per survey language; options one per line, in the same order in each."""

    kind = forms.ChoiceField(label=_("Kind of answer"), choices=QuestionKind.choices, widget=forms.RadioSelect)

    def __init__(self, *args, languages=(), conditions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.languages = list(languages)
        if conditions:
            self.fields["show_if"] = forms.ChoiceField(
                label=_("Show this question only to those who answered"),
                choices=[("", _("Everyone sees this question")), *conditions],
                required=False,
                help_text=_("Skip logic: an earlier question with one answer to choose, and the answer."),
            )
        for code in self.languages:
            self.fields[f"text_{code}"] = forms.CharField(
                label=_("Question in %(language)s") % {"language": RESPONDENT_LANGUAGES[code]},
                max_length=QUESTION_TEXT_MAX_LENGTH,
                required=False,
            )
        for code in self.languages:
            self.fields[f"options_{code}"] = forms.CharField(
                label=_("Answers to choose from in %(language)s") % {"language": RESPONDENT_LANGUAGES[code]},
                widget=forms.Textarea(attrs={"rows": 4}),
                required=False,
                help_text=_(
                    "Only for one or several choices: one answer per line, in the same order in every language."
                ),
            )

    def clean(self):
        cleaned = super().clean()
        first = self.languages[0] if self.languages else None
        if first and not cleaned.get(f"text_{first}"):
            self.add_error(f"text_{first}", _("Write the question at least in the survey's first language."))
        if cleaned.get("kind") in {QuestionKind.SINGLE, QuestionKind.MULTIPLE} and first:
            lines = {
                code: [line.strip() for line in cleaned.get(f"options_{code}", "").splitlines() if line.strip()]
                for code in self.languages
            }
            if len(lines[first]) < 2:
                self.add_error(f"options_{first}", _("Give at least two answers to choose from, one per line."))
            elif len(lines[first]) > MAX_OPTIONS:
                self.add_error(f"options_{first}", _("Give at most %(count)s answers.") % {"count": MAX_OPTIONS})
            for code, values in lines.items():
                if values and len(values) != len(lines[first]):
                    self.add_error(
                        f"options_{code}",
                        _("Give as many answers as in the first language (%(count)s), in the same order.")
                        % {"count": len(lines[first])},
                    )
                if any(len(value) > OPTION_TEXT_MAX_LENGTH for value in values):
                    self.add_error(
                        f"options_{code}",
                        _("Keep each answer under %(count)s characters.") % {"count": OPTION_TEXT_MAX_LENGTH},
                    )
            cleaned["option_texts"] = [
                {code: lines[code][index] if index < len(lines[code]) else "" for code in self.languages}
                for index in range(len(lines[first]))
            ]
        else:
            cleaned["option_texts"] = []
        cleaned["texts"] = {code: cleaned.get(f"text_{code}", "") for code in self.languages}
        question_id, _sep, value = (cleaned.get("show_if") or "").partition(":")
        cleaned["condition"] = (int(question_id), value) if question_id.isdigit() and value else None
        return cleaned


def condition_choices(presented) -> list[tuple[str, str]]:
    """ "question ID:value" -> "“Question” is “Answer”" for every answer of every presented
    question that can decide whether a later one is shown."""
    return [
        (f"{item.question.pk}:{value}", f"{index}. {item.text} → {label}")
        for index, item in enumerate(presented, start=1)
        if item.kind in CONDITION_KINDS
        for value, label in item.choices
    ]


class ChangesForm(forms.Form):
    """'You said, we did', one text per survey language."""

    published = forms.BooleanField(label=_("Publish on the survey's public page"), required=False)

    def __init__(self, *args, survey, **kwargs):
        initial = {f"text_{code}": text for code, text in survey.changes.items()}
        super().__init__(*args, initial={**initial, "published": survey.changes_published}, **kwargs)
        self.languages = list(survey.languages)
        for code in self.languages:
            self.fields[f"text_{code}"] = forms.CharField(
                label=_("What you changed, in %(language)s") % {"language": RESPONDENT_LANGUAGES[code]},
                widget=forms.Textarea(attrs={"rows": 6}),
                max_length=5000,
                required=False,
            )
        self.order_fields([*(f"text_{code}" for code in self.languages), "published"])

    def clean(self):
        cleaned = super().clean()
        cleaned["texts"] = {code: cleaned.get(f"text_{code}", "") for code in self.languages}
        return cleaned


class KioskDeviceForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the tablet"),
        max_length=100,
        help_text=_("For your team, for example where the tablet stands."),
    )


INVALID_CHOICE = pgettext_lazy("respondent", "Please choose one of the answers shown.")
INVALID_NUMBER = pgettext_lazy("respondent", "Please write a number, for example 12 or 3.5.")
INVALID_DATE = pgettext_lazy("respondent", "Please give a date as day, month and year, for example 31.12.2025.")
# Arabic-Indic and Persian digits, as Arabic and Farsi keyboards type them.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫", "01234567890123456789.")
NUMBER_LIMIT = Decimal("1000000000")
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%d-%m-%Y"]


class NumberAnswerField(forms.CharField):
    """A number typed in any respondent language: "3,5", "3.5" and "٣٫٥" alike; kept as its
    plain decimal text (``"3.5"``)."""

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return ""
        text = value.translate(_DIGITS).replace(" ", "").replace("\u00a0", "").replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise forms.ValidationError(INVALID_NUMBER, code="invalid") from None
        if not number.is_finite() or abs(number) >= NUMBER_LIMIT:
            raise forms.ValidationError(INVALID_NUMBER, code="invalid")
        number = number.quantize(Decimal("0.01")).normalize()
        return format(number, "f")


class DateAnswerField(forms.DateField):
    def to_python(self, value):
        day = super().to_python(value)
        if day is not None and not (datetime.date(1900, 1, 1) <= day <= datetime.date(2100, 12, 31)):
            raise forms.ValidationError(INVALID_DATE, code="invalid")
        return day


class ResponseForm(forms.Form):
    """The respondent's answers. Every question may be left out, but not all of them."""

    # A one-time key per rendered form (random, nothing about the respondent): the same form
    # sent twice (Back, then Send again) is stored once.
    submission_key = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["submission_key"] = uuid.uuid4()
        self.presented = list(questions)
        for item in self.presented:
            messages = {"invalid_choice": INVALID_CHOICE, "invalid_list": INVALID_CHOICE}
            if item.kind == QuestionKind.TEXT:
                self.fields[item.name] = forms.CharField(
                    required=False,
                    max_length=TEXT_ANSWER_MAX_LENGTH,
                    error_messages={
                        "max_length": pgettext_lazy("respondent", "Please write at most %(limit_value)d characters.")
                    },
                )
            elif item.kind == QuestionKind.NUMBER:
                self.fields[item.name] = NumberAnswerField(required=False, max_length=40)
            elif item.kind == QuestionKind.DATE:
                self.fields[item.name] = DateAnswerField(
                    required=False, input_formats=DATE_INPUT_FORMATS, error_messages={"invalid": INVALID_DATE}
                )
            elif item.kind == QuestionKind.MULTIPLE:
                self.fields[item.name] = forms.MultipleChoiceField(
                    required=False, choices=item.choices, error_messages=messages
                )
            else:
                self.fields[item.name] = forms.ChoiceField(
                    required=False, choices=item.choices, error_messages=messages
                )

    def clean(self):
        cleaned = super().clean()
        # Skip logic, on the server: a question whose condition is not met was not for this
        # respondent; whatever it holds (even something invalid) is ignored, in page order so
        # that a question depending on a skipped one is skipped too.
        for item in self.presented:
            if item.condition and cleaned.get(item.condition.name) != item.condition.value:
                self.errors.pop(item.name, None)
                cleaned[item.name] = [] if item.kind == QuestionKind.MULTIPLE else ""
        if not self.errors and not any(cleaned.get(item.name) for item in self.presented):
            raise forms.ValidationError(pgettext_lazy("respondent", "Please answer at least one question."))
        return cleaned

    def answers(self):
        """Question -> answer; a choice repeated in one submission counts once; a date as
        its ISO text."""
        answers = {}
        for item in self.presented:
            value = self.cleaned_data.get(item.name)
            if isinstance(value, list):
                value = list(dict.fromkeys(value))
            elif isinstance(value, datetime.date):
                value = value.isoformat()
            answers[item.question] = value
        return answers

    def field_errors(self):
        """(question, first error) pairs for the error summary, in page order."""
        return [(item, self.errors[item.name][0]) for item in self.presented if item.name in self.errors]


class PaperEntryForm(ResponseForm):
    """A paper form typed in by staff: the language it was printed in, then its answers. The
    one-time key makes a second press of "Save" (or a reload) store nothing more."""

    def __init__(self, *args, languages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"] = forms.ChoiceField(
            label=_("Language of the paper form"),
            choices=[(code, RESPONDENT_LANGUAGES[code]) for code in languages],
        )
        self.order_fields(["language", "submission_key"])


class RecordingForm(forms.Form):
    """A recording of one question in one of the survey's languages (checked in recordings.py)."""

    language = forms.ChoiceField(label=_("Language of the recording"))
    file = forms.FileField(
        label=_("Recording"),
        help_text=_("MP3, Ogg, WAV, WebM, M4A or FLAC, at most 2 MB: read the question and its answers aloud."),
        widget=forms.ClearableFileInput(attrs={"accept": "audio/*"}),
    )

    def __init__(self, *args, languages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [(code, RESPONDENT_LANGUAGES[code]) for code in languages]
