from django import forms
from django.conf import settings
from django.core.validators import URLValidator
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from inclusion.core.filetypes import detect
from inclusion.organisations.models import OrganisationKind

from .answers import applicable_items
from .models import (
    COMMENT_MAX_LENGTH,
    EVIDENCE_TEXT_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    Action,
    AnsweringMode,
    AnswerValue,
    AreaNote,
)

COMMENT_TOO_LONG = _(
    "A comment can be at most %(limit_value)d characters long; this one has %(show_value)d. "
    "Shorten it to save the answer."
)


class CommentField(forms.CharField):
    """An answer's comment, counted as the browser counts it.

    Browsers send a line break as CR LF but count it as one character against the textarea's
    maxlength: without normalising, a comment that fits on the page is too long here."""

    def __init__(self, **kwargs):
        super().__init__(
            required=False, max_length=COMMENT_MAX_LENGTH, error_messages={"max_length": COMMENT_TOO_LONG}, **kwargs
        )

    def to_python(self, value):
        return super().to_python(value).replace("\r\n", "\n")


class OrganisationChoiceForm(forms.Form):
    """For a signed-in editor: which of their organisations gets the new self-assessment.
    Without organisations the choice disappears and the result gets a private link."""

    organisation = forms.ChoiceField(label=_("Save it for"), required=False, widget=forms.RadioSelect)

    def __init__(self, *args, memberships=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {str(m.organisation.pk): m.organisation for m in memberships}
        if self.organisations:
            self.fields["organisation"].choices = [
                *[(pk, organisation.name) for pk, organisation in self.organisations.items()],
                ("", _("Only me, with a private link")),
            ]
        else:
            del self.fields["organisation"]

    def clean_organisation(self):
        value = self.cleaned_data.get("organisation")
        return self.organisations.get(value) if value else None


class NextRoundField(forms.TypedChoiceField):
    """When the organisation means to run the next round: the reminders count from it."""

    def __init__(self, **kwargs):
        from .models import NEXT_ROUND_CHOICES

        super().__init__(
            label=_("Remind us to run the next round"),
            choices=NEXT_ROUND_CHOICES,
            coerce=int,
            empty_value=0,
            required=False,
            initial=0,
            **kwargs,
        )


ANSWERING_MODE_HELP = _(
    "In the individual mode each member first answers on their own; nobody else sees those answers "
    "until an owner opens the consensus step, where the team compares them and records the agreed answers."
)
ONLY_OWNERS_CHOOSE = _("Only an owner of the organisation can choose the individual mode.")


class StartForm(OrganisationChoiceForm):
    field_order = ["title", "organisation_kind", "organisation", "answering_mode", "next_round_months"]

    answering_mode = forms.ChoiceField(
        label=_("How do members answer?"),
        choices=AnsweringMode.choices,
        initial=AnsweringMode.TOGETHER,
        required=False,
        widget=forms.RadioSelect,
        help_text=ANSWERING_MODE_HELP,
    )

    def __init__(self, *args, memberships=(), **kwargs):
        super().__init__(*args, memberships=memberships, **kwargs)
        self.owner_of = {str(m.organisation.pk) for m in memberships if m.can("owner")}
        if not self.owner_of:
            # The choice is the owner's: without an organisation one owns, members answer together.
            del self.fields["answering_mode"]

    def clean(self):
        data = super().clean()
        if data.get("answering_mode") == AnsweringMode.INDIVIDUAL:
            organisation = data.get("organisation")
            if organisation is None or str(organisation.pk) not in self.owner_of:
                self.add_error("answering_mode", ONLY_OWNERS_CHOOSE)
        data["answering_mode"] = data.get("answering_mode") or AnsweringMode.TOGETHER
        return data

    title = forms.CharField(
        label=_("Name of this self-assessment"),
        max_length=200,
        help_text=_("For example the service or team it is about."),
    )
    organisation_kind = forms.ChoiceField(
        label=_("What kind of organisation are you?"),
        choices=OrganisationKind.choices,
        widget=forms.RadioSelect,
        help_text=_("This decides which checklist items apply to you."),
    )
    next_round_months = NextRoundField(
        help_text=_("Owners and editors are reminded 14 days before and on the day (organisations only).")
    )


class NextRoundForm(forms.Form):
    next_round_months = NextRoundField()


def version_input_id(item_id: str) -> str:
    """The HTML id of an item's version input (no dots, so that htmx can swap it by id)."""
    return "version-" + item_id.replace(".", "-")


class AreaAnswersForm(forms.Form):
    """A key area's checklist without JavaScript: one radio group and comment per item, and
    the notes. ``original-*`` fields carry what the page showed, so that only what this user
    changed is saved and a colleague's concurrent answers survive."""

    note = forms.CharField(
        label=_("Notes on this key area"), required=False, max_length=NOTE_MAX_LENGTH, widget=forms.Textarea
    )
    note_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            self.fields[f"answer-{item.id}"] = forms.ChoiceField(
                label=item.text, choices=AnswerValue.choices, required=False, widget=forms.RadioSelect
            )
            self.fields[f"comment-{item.id}"] = CommentField(label=_("Comment (optional)"), widget=forms.Textarea)
            self.fields[f"original-{item.id}"] = forms.CharField(required=False, widget=forms.HiddenInput)
            self.fields[f"original-comment-{item.id}"] = forms.CharField(required=False, widget=forms.HiddenInput)
            self.fields[f"version-{item.id}"] = forms.IntegerField(
                required=False, min_value=0, widget=forms.HiddenInput(attrs={"id": version_input_id(item.id)})
            )

    @classmethod
    def for_area(cls, assessment, area, data=None, answers=None) -> tuple["AreaAnswersForm", AreaNote | None]:
        """The form for one key area, showing the saved answers and notes; and the notes.
        ``answers`` ({item id: answer}): whose answers to show, when not the round's own
        (a member's individual answers)."""
        items = applicable_items(area, assessment.organisation_kind)
        if answers is None:
            answers = {a.item_id: a for a in assessment.answers.filter(item_id__in=[i.id for i in items])}
        note = AreaNote.objects.filter(assessment=assessment, area=area.id).first()
        initial = {"note": note.text if note else "", "note_version": note.version if note else 0}
        for item in items:
            answer = answers.get(item.id)
            initial[f"answer-{item.id}"] = initial[f"original-{item.id}"] = answer.value if answer else ""
            initial[f"comment-{item.id}"] = initial[f"original-comment-{item.id}"] = answer.comment if answer else ""
            initial[f"version-{item.id}"] = answer.version if answer else 0
        return cls(data, items=items, initial=initial), note

    def rows(self):
        """Bound fields per item, for the template."""
        return [
            (
                item,
                self[f"answer-{item.id}"],
                self[f"comment-{item.id}"],
                self[f"original-{item.id}"],
                self[f"original-comment-{item.id}"],
                self[f"version-{item.id}"],
            )
            for item in self.items
        ]

    def changed_answers(self, keep_theirs=()):
        """(item id, value, comment, base version) for each item whose answer or comment this
        user changed, except those where they chose to keep a colleague's newer answer."""
        for item in self.items:
            if item.id in keep_theirs:
                continue
            value = self.cleaned_data.get(f"answer-{item.id}") or ""
            comment = self.cleaned_data.get(f"comment-{item.id}") or ""
            if value != (self.cleaned_data.get(f"original-{item.id}") or "") or comment.strip() != (
                self.cleaned_data.get(f"original-comment-{item.id}") or ""
            ):
                yield item.id, value, comment, self.cleaned_data.get(f"version-{item.id}")


class AnswerForm(forms.Form):
    """One item's answer, as autosave posts it."""

    item = forms.CharField(max_length=100)
    value = forms.ChoiceField(choices=[("", ""), *AnswerValue.choices], required=False)
    comment = CommentField()
    version = forms.IntegerField(required=False, min_value=0)


class NoteForm(forms.Form):
    note = forms.CharField(required=False, max_length=NOTE_MAX_LENGTH)
    note_version = forms.IntegerField(min_value=0)


class ActionForm(forms.ModelForm):
    """A step of the plan. Who is responsible: a member of the organisation, chosen from the
    list, or someone outside it, typed in."""

    owner_user = forms.ModelChoiceField(
        label=_("Who is responsible"), queryset=None, required=False, empty_label=_("Someone outside the organisation")
    )

    class Meta:
        model = Action
        fields = ["description", "owner_user", "owner", "due_date", "status"]
        labels = {"owner": _("Someone outside the organisation: name")}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        if members is None:
            del self.fields["owner_user"]
            self.fields["owner"].label = _("Who is responsible")
        else:
            self.fields["owner_user"].queryset = members
            self.fields["owner_user"].label_from_instance = lambda user: (
                user.get_full_name() or user.email or user.get_username()
            )


class ImportForm(OrganisationChoiceForm):
    """The upload of an exported JSON file, and for a signed-in editor where it goes."""

    file = forms.FileField(
        label=_("Exported JSON file"),
        help_text=_(
            "A .json file downloaded from a self-assessment in Inclusion Toolkit. "
            "A new self-assessment is created; the one you exported is not changed."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "organisation" in self.fields:
            self.fields["organisation"].label = _("Import for")

    def clean_file(self):
        from . import exports

        upload = self.cleaned_data["file"]
        if upload.size > exports.MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                _("The file is too large (at most %(limit)s MB).")
                % {"limit": exports.MAX_IMPORT_BYTES // (1024 * 1024)}
            )
        try:
            return exports.read_import_file(upload.read())
        except exports.ImportFileError as error:
            raise forms.ValidationError(str(error)) from error


class NewRoundForm(forms.Form):
    """The owner's choice, when the next round starts, of how members answer in it."""

    answering_mode = forms.ChoiceField(
        label=_("How do members answer in the new round?"),
        choices=AnsweringMode.choices,
        initial=AnsweringMode.TOGETHER,
        required=False,
        widget=forms.RadioSelect,
        help_text=ANSWERING_MODE_HELP,
    )


class ShareLinkForm(forms.Form):
    label = forms.CharField(label=_("Who is this link for?"), max_length=200, required=False)


class SignOffForm(forms.Form):
    name = forms.CharField(label=_("Signed off by (name)"), max_length=200)
    signed_off_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


WEB_ADDRESS_ONLY = _("Enter a web address that starts with http:// or https://.")
ALLOWED_EVIDENCE_FILES = _(
    "Attach a PDF, an image (PNG, JPEG, WebP, GIF) or an office document (Word, Excel, PowerPoint, "
    "OpenDocument text or spreadsheet)."
)


class EvidenceForm(forms.Form):
    """A link, a short description and/or a file for one checklist item. The file's type is
    read from its content; what the browser or the name says does not count."""

    url = forms.URLField(
        label=_("Link"),
        required=False,
        max_length=2000,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"], message=WEB_ADDRESS_ONLY)],
        error_messages={"invalid": WEB_ADDRESS_ONLY},
    )
    text = forms.CharField(
        label=_("Short description"),
        required=False,
        max_length=EVIDENCE_TEXT_MAX_LENGTH,
        widget=forms.TextInput,
    )
    file = forms.FileField(label=_("File"), required=False, help_text=ALLOWED_EVIDENCE_FILES)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        self.kind = None
        if not upload:
            return None
        limit = settings.EVIDENCE_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file “%(name)s” is too large (%(size)s); files can be at most %(limit)s."),
                params={"name": upload.name, "size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
                code="too_large",
            )
        self.kind = detect(upload)
        if self.kind is None:
            raise forms.ValidationError(
                _("The file “%(name)s” cannot be attached: its content is not a kind we accept. %(allowed)s"),
                params={"name": upload.name, "allowed": ALLOWED_EVIDENCE_FILES},
                code="refused_type",
            )
        return upload

    def clean(self):
        data = super().clean()
        if not self.errors and not (data.get("url") or data.get("text") or data.get("file")):
            raise forms.ValidationError(_("Give a link, a short description or a file."), code="empty")
        return data
