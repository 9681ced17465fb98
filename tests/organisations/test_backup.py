"""Back up one organisation and restore it identically; nothing of anyone else comes along."""

import datetime
import json

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command

from inclusion.api.models import AccessToken
from inclusion.assessments.answers import save_answer
from inclusion.assessments.models import Action, Assessment, ShareLink
from inclusion.assessments.notes import save_note
from inclusion.assessments.rounds import start_assessment, start_next_round
from inclusion.core.tokens import hash_token
from inclusion.feedback.models import Survey
from inclusion.feedback.surveys import add_own_question, create_survey
from inclusion.handbook.services import get_handbook, import_content
from inclusion.organisations import backup
from inclusion.organisations.models import Invitation, Membership, Organisation
from inclusion.practices.moderation import request_changes
from inclusion.practices.ratings import save_rating
from inclusion.practices.submissions import create_practice, submit_for_review
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.practices.conftest import practice_content

pytestmark = pytest.mark.django_db


@pytest.fixture
def rich_organisation():
    import_content(get_handbook())
    organisation = OrganisationFactory(name="Backup City", slug="backup-city", kind="authority")
    owner = MembershipFactory(organisation=organisation, role="owner").user
    editor = MembershipFactory(organisation=organisation, role="editor").user
    assessment, _ = start_assessment(
        title="Round one", organisation_kind="authority", organisation=organisation, user=owner
    )
    save_answer(assessment, "a1.c1", "partly", "half", editor)
    save_answer(assessment, "a4.c15", "no", "", owner)
    save_note(assessment, "a2", "<p>Notes</p>", 0, editor)
    Action.objects.create(assessment=assessment, item_id="a1.c1", area="a1", description="Finish it", owner="Anna")
    ShareLink.objects.create(assessment=assessment, token_hash=hash_token("share"), label="Partner")
    start_next_round(assessment, owner)
    practice = create_practice(organisation, practice_content(), editor)
    criteria = get_handbook().edition("en").criteria.criteria
    save_rating(practice, editor, criteria, {"k1.q1.i1": "2", "k2.q1.i1": "1"}, {"k1.q1": "Survey"})
    submit_for_review(practice, editor)
    staff = UserFactory(email="staff-moderator@example.org", first_name="Mara", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="moderate_practice"))
    request_changes(practice.current_version, staff, "Please add the city.")
    survey = create_survey(
        organisation=organisation, user=owner, title="Café", languages=["en"],
        opens_on=datetime.date(2025, 1, 1), closes_on=datetime.date(2025, 2, 1), bank_ids=[],
    )  # fmt: skip
    add_own_question(survey, "text", {"en": "Anything else?"}, [])
    AccessToken.issue(organisation, owner, "Dashboard")
    Invitation.objects.create(
        organisation=organisation, email="new@example.org", role="viewer", token_hash="0" * 64, invited_by=owner,
        expires_at="2030-01-01T00:00:00Z",
    )  # fmt: skip
    # Someone else's data, which must stay out of the backup.
    other = OrganisationFactory(name="Elsewhere", slug="elsewhere")
    stranger = MembershipFactory(organisation=other, role="owner").user
    start_assessment(title="Not theirs", organisation_kind="ngo", organisation=other, user=stranger)
    return organisation


def _delete_everything_of(organisation):
    user_ids = list(Membership.objects.filter(organisation=organisation).values_list("user_id", flat=True))
    organisation.delete()
    get_user_model().objects.filter(pk__in=user_ids).delete()


def test_every_model_that_belongs_to_an_organisation_is_covered():
    covered = {model._meta.label for model in backup.organisation_paths()}
    assert {
        "organisations.Organisation", "organisations.Membership", "organisations.Invitation",
        "assessments.Assessment", "assessments.Answer", "assessments.AreaNote", "assessments.Action",
        "assessments.ShareLink", "practices.Practice", "practices.PracticeVersion", "practices.Rating",
        "api.AccessToken", "feedback.Survey", "feedback.Response",
    } <= covered  # fmt: skip


def test_export_holds_no_password_hash_no_secret_and_staff_only_by_name(rich_organisation):
    owner = Membership.objects.get(organisation=rich_organisation, role="owner").user
    owner.set_password("a fresh password for this test")
    owner.save()
    secrets = [
        "pbkdf2", owner.password, "staff-moderator@example.org", hash_token("share"), "0" * 64,
        AccessToken.objects.get().token_hash, Survey.objects.get().token, "is_staff", "is_superuser", "password",
    ]  # fmt: skip

    text = backup.export_organisation(rich_organisation)

    assert [secret for secret in secrets if secret in text] == []
    document = json.loads(text)
    assert {"ref": 3, "display_name": "Mara"} in document["people"]
    assert sorted(person.get("email") for person in document["people"] if "email" in person) == [
        member.user.email for member in Membership.objects.filter(organisation=rich_organisation).order_by("user_id")
    ]
    models = {item["model"] for item in document["objects"]}
    assert {"api.accesstoken", "organisations.invitation", "assessments.sharelink", "accounts.user"} & models == set()


def test_round_trip_is_identical(rich_organisation):
    """Rows are numbered within the file, not by this instance's keys: an organisation
    imported into an instance without it (fresh keys) exports to the very same bytes."""
    first = backup.export_organisation(rich_organisation)
    document = json.loads(first)
    models = {item["model"] for item in document["objects"]}
    assert {"assessments.answer", "practices.practiceversion", "practices.reviewmessage", "feedback.survey"} <= models
    assert "Not theirs" not in first and "Elsewhere" not in first

    _delete_everything_of(rich_organisation)
    assert not Assessment.objects.filter(title="Round one").exists()

    restored = backup.import_organisation(first)

    assert restored.slug == "backup-city"
    assert backup.export_organisation(restored) == first
    assert Assessment.objects.filter(organisation=restored).count() == 2


def test_import_refuses_a_clash_and_changes_nothing(rich_organisation):
    text = backup.export_organisation(rich_organisation)
    before = Assessment.objects.count()
    with pytest.raises(backup.BackupError, match=r"already exists here\. Import it as a copy to keep both\."):
        backup.import_organisation(text)
    assert Assessment.objects.count() == before


def test_import_as_a_copy_keeps_the_original_and_gives_the_copy_its_own_keys(rich_organisation):
    text = backup.export_organisation(rich_organisation)
    original = snapshot()

    copy = backup.import_organisation(text, as_copy=True)

    assert (copy.slug, copy.name) == ("backup-city-2", "Backup City")
    assert unchanged_rows(original) == original  # not one row that was here changed
    assert Assessment.objects.filter(organisation=copy).count() == 2
    ids = set(Assessment.objects.filter(organisation=rich_organisation).values_list("public_id", flat=True))
    assert ids.isdisjoint(Assessment.objects.filter(organisation=copy).values_list("public_id", flat=True))
    assert Survey.objects.get(organisation=copy).token != Survey.objects.get(organisation=rich_organisation).token
    # The same data, but for the address and the identifiers that must stay unique.
    assert without_identifiers(backup.export_organisation(copy)) == without_identifiers(text)
    assert {m.user_id for m in copy.memberships.all()} == {m.user_id for m in rich_organisation.memberships.all()}


def test_command_imports_as_a_copy_only_when_asked(rich_organisation, tmp_path, capsys):
    path = tmp_path / "backup.json"
    call_command("export_organisation", "backup-city", output=str(path))
    with pytest.raises(CommandError, match="already exists"):
        call_command("import_organisation", str(path))
    call_command("import_organisation", str(path), "--as-copy")
    assert "Imported Backup City (backup-city-2)." in capsys.readouterr().out


def snapshot() -> dict:
    """Every row of every model, as the database holds it, by model and primary key."""
    return {
        model._meta.label: {row[model._meta.pk.attname]: row for row in model._default_manager.values()}
        for model in apps.get_models()
    }


def unchanged_rows(before: dict) -> dict:
    """The rows of `before`, as they are now."""
    now = snapshot()
    return {label: {pk: now[label].get(pk) for pk in rows} for label, rows in before.items()}


def without_identifiers(text: str) -> str:
    document = json.loads(text)
    document["organisation"] = None
    for item in document["objects"]:
        for name in ("slug", "public_id", "series"):
            if name in item["fields"]:
                item["fields"][name] = None
    return json.dumps(document, sort_keys=True)


@pytest.mark.parametrize(
    ("text", "message"),
    [("not json", "not valid JSON"), ('{"format": "other"}', "not an organisation backup"),
     ('{"format": "inclusion-organisation-backup", "version": 9}', "format version 9")],
)  # fmt: skip
def test_bad_backups_are_explained(db, text, message):
    with pytest.raises(backup.BackupError, match=message):
        backup.import_organisation(text)


def test_commands_round_trip(rich_organisation, tmp_path, capsys):
    path = tmp_path / "backup.json"
    call_command("export_organisation", "backup-city", output=str(path))
    original = path.read_text()
    _delete_everything_of(rich_organisation)
    call_command("import_organisation", str(path))
    assert "Imported Backup City (backup-city)." in capsys.readouterr().out
    assert backup.export_organisation(Organisation.objects.get(slug="backup-city")) == original


def test_user_factory_has_a_password():
    assert UserFactory().has_usable_password()


# A hostile file: edited by someone who wants more than their own organisation back.


def edited(text: str, change) -> str:
    document = json.loads(text)
    change(document)
    return json.dumps(document)


def objects_of(document, model: str) -> list[dict]:
    return [item for item in document["objects"] if item["model"] == model]


def renamed_to_elsewhere(document):
    organisation = objects_of(document, "organisations.organisation")[0]
    organisation["fields"].update(slug="elsewhere", name="Taken over")
    document["organisation"] = "backup-city-moved"


def staff_person(document):
    document["people"].append(
        {"ref": 99, "email": "intruder@example.org", "is_staff": True, "is_superuser": True,
         "user_permissions": [["moderate_practice", "practices", "practice"]], "groups": [["Moderators"]]}
    )  # fmt: skip
    objects_of(document, "organisations.membership")[0]["fields"]["user"] = 99


def injected_user(document):
    document["objects"].append(
        {"model": "accounts.user", "pk": 1, "fields": {"email": "intruder@example.org", "is_superuser": True}}
    )


def injected_permission(document):
    document["objects"].append({"model": "auth.permission", "pk": 1, "fields": {"codename": "anything"}})


def extra_field(document):
    objects_of(document, "organisations.membership")[0]["fields"]["is_staff"] = True


def answer_into_another_organisation(document):
    objects_of(document, "assessments.answer")[-1]["fields"]["assessment"] = 999


def practice_into_the_public_library(document):
    objects_of(document, "practices.practice")[0]["fields"]["organisation"] = None


def broken_last_row(document):
    answers = objects_of(document, "assessments.answer")
    document["objects"].append({**answers[0], "pk": 500})  # the same item answered twice


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (renamed_to_elsewhere, "An organisation with the address “elsewhere” already exists here"),
        (injected_user, "rows of a kind an organisation backup never holds: accounts.user"),
        (injected_permission, "rows of a kind an organisation backup never holds: auth.permission"),
        (extra_field, "fields an organisation backup never holds: organisations.membership.is_staff"),
        (answer_into_another_organisation, "The backup is damaged: assessments.answer.assessment → 999"),
        (practice_into_the_public_library, "The backup is damaged: practices.practice.organisation"),
        (broken_last_row, "The backup cannot be imported, and nothing was changed"),
    ],
)
def test_a_hostile_file_is_refused_and_changes_nothing(rich_organisation, change, message):
    text = edited(backup.export_organisation(rich_organisation), change)
    _delete_everything_of(rich_organisation)
    before = snapshot()

    with pytest.raises(backup.BackupError, match=message):
        backup.import_organisation(text, as_copy=change is not renamed_to_elsewhere)

    assert snapshot() == before


def test_a_hostile_file_cannot_grant_staff_rights_or_permissions(rich_organisation):
    text = edited(backup.export_organisation(rich_organisation), staff_person)

    copy = backup.import_organisation(text, as_copy=True)

    intruder = get_user_model().objects.get(email="intruder@example.org")
    assert (intruder.is_staff, intruder.is_superuser, intruder.has_usable_password()) == (False, False, False)
    assert (list(intruder.user_permissions.all()), list(intruder.groups.all())) == ([], [])
    assert intruder.memberships.get().organisation == copy


def test_a_hostile_file_cannot_overwrite_rows_by_their_keys(rich_organisation):
    """The file's numbers are not keys here: rows numbered like existing ones are new rows."""
    other = Organisation.objects.get(slug="elsewhere")

    def numbered_like_elsewhere(document):
        objects_of(document, "organisations.organisation")[0]["pk"] = other.pk
        for item in document["objects"]:
            if item["fields"].get("organisation") == 1:
                item["fields"]["organisation"] = other.pk

    text = edited(backup.export_organisation(rich_organisation), numbered_like_elsewhere)
    before = snapshot()

    copy = backup.import_organisation(text, as_copy=True)

    assert copy.pk not in (other.pk, rich_organisation.pk)
    assert unchanged_rows(before) == before
    assert Organisation.objects.get(pk=other.pk).name == "Elsewhere"


def test_an_existing_account_is_used_as_it_is(rich_organisation):
    text = backup.export_organisation(rich_organisation)
    member = Membership.objects.filter(organisation=rich_organisation).order_by("user_id").first().user
    before = get_user_model().objects.filter(pk=member.pk).values().get()

    copy = backup.import_organisation(text, as_copy=True)

    assert copy.memberships.filter(user=member).exists()
    assert get_user_model().objects.filter(pk=member.pk).values().get() == before
