"""Back up one organisation and restore it identically; nothing of anyone else comes along."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from inclusion.api.models import AccessToken
from inclusion.assessments.answers import save_answer
from inclusion.assessments.models import Action, Assessment, ShareLink
from inclusion.assessments.notes import save_note
from inclusion.assessments.rounds import start_assessment, start_next_round
from inclusion.core.tokens import hash_token
from inclusion.handbook.services import get_handbook, import_content
from inclusion.organisations import backup
from inclusion.organisations.models import Invitation, Membership, Organisation
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


def test_round_trip_is_identical(rich_organisation):
    first = backup.export_organisation(rich_organisation)
    document = json.loads(first)
    models = {item["model"] for item in document["objects"]}
    assert {"assessments.answer", "practices.practiceversion", "api.accesstoken", "accounts.user"} <= models
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
    with pytest.raises(backup.BackupError, match="already exists"):
        backup.import_organisation(text)
    assert Assessment.objects.count() == before


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
