"""The usage page for platform staff: exact counts, staff only, a fixed number of queries."""

import datetime

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import get_user_model
from django.utils import timezone, translation

from inclusion.assessments.answers import save_answer
from inclusion.assessments.rounds import start_assessment
from inclusion.core.usage import UsageRow
from inclusion.feedback.models import Response, Survey
from inclusion.handbook.services import get_handbook, import_content
from inclusion.organisations.models import Membership, Role
from inclusion.practices.handbook_examples import import_handbook_practices
from inclusion.practices.models import Practice, PracticeVersion, VersionStatus
from inclusion.staff.usage import count_usage
from tests.factories import OrganisationFactory, UserFactory

URL = "/en/staff/usage/"
LONG_AGO = timezone.now() - datetime.timedelta(days=90)


@pytest.fixture
def handbook_in_db(db):
    handbook = get_handbook()
    import_content(handbook)
    import_handbook_practices(handbook)


@pytest.fixture
def staff(db):
    user = UserFactory(is_staff=True)
    TOTP.activate(user, generate_totp_secret())
    return user


def seed(size: int):
    """`size` organisations, each with an old and a new member, two self-assessments (one
    from long ago) with three answers, a community practice in review and a survey with two
    responses (one from long ago)."""
    for number in range(size):
        organisation = OrganisationFactory()
        old_member = UserFactory()
        get_user_model().objects.filter(pk=old_member.pk).update(date_joined=LONG_AGO, last_login=LONG_AGO)
        new_member = UserFactory(last_login=timezone.now())
        for user in (old_member, new_member):
            Membership.objects.create(user=user, organisation=organisation, role=Role.EDITOR)
        for title in ("Old", "New"):
            assessment, _token = start_assessment(
                title=title, organisation_kind="ngo", organisation=organisation, user=new_member
            )
            for item in ("a1.c1", "a1.c2", "a1.c3"):
                save_answer(assessment, item, "yes", "", new_member)
        type(assessment).objects.filter(organisation=organisation, title="Old").update(created_at=LONG_AGO)
        practice = Practice.objects.create(organisation=organisation, created_by=new_member)
        practice.current_version = PracticeVersion.objects.create(
            practice=practice, number=1, status=VersionStatus.IN_REVIEW, content={"title": {"en": f"P{number}"}}
        )
        practice.save()
        survey = Survey.objects.create(
            organisation=organisation,
            title="Visitors",
            languages=["en"],
            opens_on=LONG_AGO.date(),
            closes_on=timezone.now().date(),
        )
        Response.objects.create(survey=survey, language="en", submitted_on=LONG_AGO.date())
        Response.objects.create(survey=survey, language="en", submitted_on=timezone.now().date())


@pytest.mark.usefixtures("handbook_in_db")
def test_usage_counts_everything_and_the_last_30_days(staff):
    seed(2)

    usage = count_usage()

    with translation.override("en"):
        labelled = [(str(row.label), row.total, row.recent) for row in usage.rows]
        practice_rows = [(str(row.status), row.total, row.from_handbook) for row in usage.practices]
    assert labelled == [
        ("Users", 5, 3),  # the staff member is one of the new ones
        ("Organisations", 2, 2),
        ("Self-assessments (rounds)", 4, 2),
        ("Answers in self-assessments", 12, None),
        ("Surveys", 2, 2),
        ("Survey responses", 4, 2),
    ]
    assert usage.recent_sign_ins == 2
    handbook_examples = Practice.objects.filter(handbook_key__isnull=False).count()
    assert handbook_examples == 62
    assert practice_rows == [
        ("Waiting for review", 2, 0),
        ("Published", 62, 62),
    ]


def test_usage_of_an_empty_site(db):
    usage = count_usage()

    assert usage.rows[0] == UsageRow(usage.rows[0].label, 0, 0)
    assert [row.total for row in usage.rows] == [0, 0, 0, 0, 0, 0]
    assert usage.practices == []


@pytest.mark.usefixtures("handbook_in_db")
def test_staff_see_the_usage_page(client, staff):
    seed(1)
    client.force_login(staff)

    response = client.get(URL)

    assert response.status_code == 200
    assert response.headers["Cache-Control"].startswith("max-age=0")
    page = response.content.decode()
    assert "<h1>Usage</h1>" in page
    assert '<tr><th scope="row">Survey responses</th><td>2</td><td>1</td></tr>' in page
    assert '<tr><th scope="row">Waiting for review</th><td>1</td><td>0</td></tr>' in page
    assert "2 users signed in during the last 30 days." in page  # the new member and the staff member


@pytest.mark.usefixtures("handbook_in_db")
def test_usage_page_in_latvian(client, staff):
    client.force_login(staff)

    page = client.get("/lv/staff/usage/").content.decode()

    assert "<h1>Lietojums</h1>" in page
    assert '<tr><th scope="row">Lietotāji</th><td>1</td><td>1</td></tr>' in page
    assert '<tr><th scope="row">Publicēta</th><td>62</td><td>62</td></tr>' in page


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("who", ["anonymous", "user", "owner", "inactive staff"])
def test_everyone_but_staff_gets_404(client, db, who, method):
    if who == "user":
        client.force_login(UserFactory())
    elif who == "owner":
        owner = UserFactory()
        Membership.objects.create(user=owner, organisation=OrganisationFactory(), role=Role.OWNER)
        client.force_login(owner)
    elif who == "inactive staff":
        client.force_login(UserFactory(is_staff=True, is_active=False))

    response = getattr(client, method)(URL)

    assert response.status_code == 404
    assert "Usage" not in response.content.decode()


def test_staff_without_an_authenticator_app_set_one_up_first(client, db):
    client.force_login(UserFactory(is_staff=True))

    response = client.get(URL)

    assert response.status_code == 302
    assert response.headers["Location"] == "/en/accounts/2fa/totp/activate/"


@pytest.mark.parametrize("size", [1, 8])
@pytest.mark.usefixtures("handbook_in_db")
def test_usage_page_query_count_does_not_grow(client, staff, django_assert_num_queries, size):
    seed(size)
    client.force_login(staff)

    # session, user, authenticator check; users, organisations, assessments, answers,
    # surveys, responses, practices.
    with django_assert_num_queries(10):
        assert client.get(URL).status_code == 200
