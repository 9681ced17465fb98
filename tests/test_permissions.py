"""Every URL of every app, classified; every organisation URL tried with every role.

The resolver is walked, so a new URL fails ``test_every_url_is_classified`` until it is
added to ``URLS`` below. Organisation-owned URLs are then requested, GET and POST, for an
object of organisation B by an anonymous visitor, an outsider (an owner of organisation A
only), and B's viewer, editor and owner:

- anonymous visitors get 404, or are sent to sign in where the URL says ``anonymous=LOGIN``
  (both show nothing of B);
- outsiders get 404: they must not learn that the object exists;
- members whose role is below the URL's role for that method get 403;
- members with the role get neither 403, 404 nor a server error;
- a method the URL does not take (``None``) answers 405 to members; never more than 404 to
  the others.
"""

from dataclasses import dataclass
from urllib.parse import quote

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone, translation

from inclusion.assessments.evidence import add_evidence
from inclusion.assessments.models import Action, Answer, AreaNote, Assessment, Evidence, IndividualAnswer, ShareLink
from inclusion.core.filetypes import PDF
from inclusion.feedback.kiosks import create_device
from inclusion.feedback.models import KioskDevice, Survey
from inclusion.networks.models import Coordinator, MemberStatus, Network, NetworkMember, NetworkPractice, Sharing
from inclusion.organisations.models import Organisation, Role
from inclusion.practices.models import PracticeVersion, Rating
from tests.factories import (
    AccessTokenFactory,
    ActionFactory,
    AssessmentFactory,
    HandbookItemFactory,
    InvitationFactory,
    MembershipFactory,
    NetworkFactory,
    OrganisationFactory,
    PracticeFactory,
    RatingFactory,
    ShareLinkFactory,
    SurveyFactory,
    SurveyQuestionFactory,
    member_of,
)

LOGIN = "login"  # anonymous visitors are sent to the sign-in page
NOT_FOUND = "404"

VIEWER, EDITOR, OWNER = Role.VIEWER, Role.EDITOR, Role.OWNER


@dataclass(frozen=True)
class Org:
    """A URL about one organisation or one of its objects: the lowest role for GET and for
    POST (None: the method is not taken) and what an anonymous visitor gets.

    Today's read-only pages answer a POST like a GET (``post=VIEWER``)."""

    get: Role | None
    post: Role | None
    anonymous: str = NOT_FOUND


# The other kinds are not requested here; each says which tests cover it.
PUBLIC = "public"  # anyone may read (handbook, library, API docs): tests/<app>/test_pages.py …
SIGNED_IN = (
    "signed-in"  # any signed-in person, about themselves: tests/accounts, tests/organisations, tests/notifications
)
ACCOUNTS = "accounts"  # allauth's sign-in, sign-up, password and two-factor pages: tests/accounts
PRIVATE_LINK = "private-link"  # a secret in the URL is the key: tests/assessments, tests/feedback, tests/notifications
API = "api"  # bearer tokens scoped to one organisation: tests/api
STAFF = "staff"  # platform staff only, 404 for everyone else: tests/core/test_staff.py
MODERATOR = "moderator"  # practice moderators only, 404 for everyone else: tests/practices
NETWORK_PAGE = "network-page"  # public networks for all, private ones for members: tests/networks


@dataclass(frozen=True)
class Coordinated:
    """A URL of a network for its coordinators only: 404 for everyone else (tried below with
    anonymous visitors, outsiders, an owner of a member organisation and a coordinator).
    ``post_only``: a GET answers 405 to the coordinator."""

    post_only: bool = False


URLS = {
    "healthz": PUBLIC,
    "home": PUBLIC,
    # --- API (JSON, bearer tokens) ---
    **dict.fromkeys(
        ["api:openapi-json", "api:openapi-view", "api:api-root", "api:content_version", "api:areas", "api:area"],
        PUBLIC,
    ),
    **dict.fromkeys(["api:summary_checklist", "api:assessment_table", "api:glossary"], PUBLIC),
    **dict.fromkeys(["api:practices", "api:practice"], PUBLIC),
    **dict.fromkeys(
        [
            "api:organisation",
            "api:assessments",
            "api:assessment",
            "api:assessment_summary",
            "api:assessment_actions",
            "api:own_practices",
            "api:surveys",
            "api:results",
            "api:benchmarks",
        ],
        API,
    ),
    # --- Survey respondents: the survey's token is in the URL ---
    **dict.fromkeys(
        [
            "respond:entry",
            "respond:survey",
            "respond:thanks",
            "respond:changes",
            "respond:privacy",
            "respond:recording",
        ],
        PRIVATE_LINK,
    ),
    # Kiosk mode: the survey's token in the URL; responses are sent with a device code in the
    # Authorization header (tests/feedback/test_kiosk.py).
    **dict.fromkeys(
        ["respond:kiosk", "respond:kiosk_survey", "respond:kiosk_sw", "respond:kiosk_manifest", "respond:kiosk_sync"],
        PRIVATE_LINK,
    ),
    # --- Handbook ---
    **dict.fromkeys(
        [
            "handbook:contents",
            "handbook:privacy",
            "handbook:foreword",
            "handbook:introduction",
            "handbook:area",
            "handbook:area_pdf",
            "handbook:summary",
            "handbook:criteria",
            "handbook:glossary",
            "handbook:search",
            "handbook:pdf",
            "handbook:video_file",
        ],
        PUBLIC,
    ),
    # --- Accounts ---
    "account_my_data": SIGNED_IN,
    "account_delete": SIGNED_IN,
    **dict.fromkeys(
        [
            "account_login",
            "account_logout",
            "account_inactive",
            "account_signup",
            "account_reauthenticate",
            "account_email",
            "account_email_verification_sent",
            "account_change_password",
            "account_set_password",
            "account_reset_password",
            "account_confirm_login_code",
            "account_confirm_email",
            "account_reset_password_from_key_done",
            "account_reset_password_from_key",
            "account_reset_password_done",
            "mfa_index",
            "mfa_authenticate",
            "mfa_reauthenticate",
            "mfa_activate_totp",
            "mfa_deactivate_totp",
            "mfa_view_recovery_codes",
            "mfa_generate_recovery_codes",
            "mfa_download_recovery_codes",
        ],
        ACCOUNTS,
    ),
    # --- Organisations ---
    "organisations:dashboard": SIGNED_IN,
    "organisations:create": SIGNED_IN,
    "organisations:accept_invitation": PRIVATE_LINK,
    "organisations:detail": Org(get=VIEWER, post=VIEWER, anonymous=LOGIN),
    "organisations:edit": Org(get=OWNER, post=OWNER, anonymous=LOGIN),
    "organisations:members": Org(get=VIEWER, post=OWNER, anonymous=LOGIN),
    "organisations:change_role": Org(get=None, post=OWNER, anonymous=LOGIN),
    "organisations:remove_member": Org(get=None, post=OWNER, anonymous=LOGIN),
    "organisations:revoke_invitation": Org(get=None, post=OWNER, anonymous=LOGIN),
    "organisations:leave": Org(get=VIEWER, post=VIEWER, anonymous=LOGIN),
    "organisations:delete": Org(get=OWNER, post=OWNER, anonymous=LOGIN),
    "api_tokens:tokens": Org(get=OWNER, post=OWNER, anonymous=LOGIN),
    "api_tokens:revoke": Org(get=None, post=OWNER, anonymous=LOGIN),
    # --- Self-assessments ---
    "assessments:start": PUBLIC,
    "assessments:how_it_works": PUBLIC,
    "assessments:import": PUBLIC,
    "assessments:private_link": PRIVATE_LINK,
    "assessments:shared": PRIVATE_LINK,
    # Claiming moves a private-link self-assessment into an organisation: 404 for one that has one.
    "assessments:claim": PRIVATE_LINK,
    "assessments:overview": Org(get=VIEWER, post=VIEWER),
    "assessments:area": Org(get=VIEWER, post=EDITOR),
    "assessments:save_note": Org(get=None, post=EDITOR),
    "assessments:save_answer": Org(get=None, post=EDITOR),
    "assessments:summary": Org(get=VIEWER, post=VIEWER),
    "assessments:actions": Org(get=VIEWER, post=VIEWER),
    "assessments:action_new": Org(get=EDITOR, post=EDITOR),
    "assessments:action_from_gap": Org(get=None, post=EDITOR),
    "assessments:action_edit": Org(get=EDITOR, post=EDITOR),
    "assessments:action_delete": Org(get=None, post=EDITOR),
    "assessments:new_round": Org(get=None, post=EDITOR),
    "assessments:reopen_round": Org(get=None, post=OWNER),
    "assessments:sign_off": Org(get=OWNER, post=OWNER),
    "assessments:delete_round": Org(get=OWNER, post=OWNER),
    "assessments:compare": Org(get=VIEWER, post=VIEWER),
    "assessments:history": Org(get=VIEWER, post=VIEWER),
    "assessments:share": Org(get=EDITOR, post=EDITOR),
    "assessments:revoke_share_link": Org(get=None, post=EDITOR),
    "assessments:export": Org(get=VIEWER, post=VIEWER),
    "assessments:evidence": Org(get=VIEWER, post=EDITOR),
    "assessments:evidence_delete": Org(get=None, post=EDITOR),
    "assessments:evidence_keep": Org(get=None, post=EDITOR),
    "assessments:evidence_file": Org(get=VIEWER, post=None),
    # B's round is answered individually first and its consensus step is open.
    "assessments:consensus": Org(get=VIEWER, post=VIEWER),
    "assessments:consensus_open": Org(get=None, post=OWNER),
    "assessments:consensus_area": Org(get=VIEWER, post=EDITOR),
    # --- Practices ---
    "practices:library": PUBLIC,
    "practices:detail": PUBLIC,
    "practices:scoring": PUBLIC,
    "practices:yours": SIGNED_IN,
    "practices:new": SIGNED_IN,
    "practices:manage": Org(get=VIEWER, post=VIEWER),
    "practices:edit": Org(get=EDITOR, post=EDITOR),
    "practices:submit": Org(get=None, post=EDITOR),
    "practices:rate": Org(get=EDITOR, post=EDITOR),
    "practices:consensus": Org(get=VIEWER, post=EDITOR),
    "practices:version": Org(get=VIEWER, post=VIEWER),
    "practices:rating": Org(get=VIEWER, post=VIEWER),
    "practices:rating_export": Org(get=VIEWER, post=VIEWER),
    "practices:moderation": MODERATOR,
    "practices:review": MODERATOR,
    # --- Feedback surveys ---
    "feedback:list": Org(get=VIEWER, post=VIEWER),
    "feedback:create": Org(get=EDITOR, post=EDITOR),
    "feedback:detail": Org(get=VIEWER, post=VIEWER),
    "feedback:edit": Org(get=EDITOR, post=EDITOR),
    "feedback:question_add": Org(get=EDITOR, post=EDITOR),
    "feedback:question_remove": Org(get=None, post=EDITOR),
    "feedback:question_edit": Org(get=EDITOR, post=EDITOR),
    "feedback:question_move": Org(get=None, post=EDITOR),
    "feedback:preview": Org(get=VIEWER, post=VIEWER),  # checks answers, stores nothing
    "feedback:report": Org(get=VIEWER, post=VIEWER),
    "feedback:results": Org(get=VIEWER, post=VIEWER),
    "feedback:review": Org(get=None, post=EDITOR),
    "feedback:export": Org(get=EDITOR, post=EDITOR),  # answers per person: editors only (issue 10)
    "feedback:results_export": Org(get=VIEWER, post=VIEWER),
    "feedback:qr": Org(get=VIEWER, post=VIEWER),
    "feedback:poster": Org(get=VIEWER, post=VIEWER),
    "feedback:changes": Org(get=EDITOR, post=EDITOR),
    "feedback:kiosks": Org(get=EDITOR, post=EDITOR),  # shows a new device code once
    "feedback:kiosk_revoke": Org(get=None, post=EDITOR),
    "feedback:paper_form": Org(get=VIEWER, post=VIEWER),
    "feedback:paper_entry": Org(get=EDITOR, post=EDITOR),
    "feedback:recordings": Org(get=EDITOR, post=EDITOR),
    # --- Networks ---
    "networks:index": PUBLIC,
    "networks:create": SIGNED_IN,
    "networks:join": PRIVATE_LINK,
    "networks:detail": NETWORK_PAGE,
    "networks:manage": Coordinated(),
    "networks:dashboard": Coordinated(),
    "networks:report": Coordinated(),
    "networks:invite": Coordinated(post_only=True),
    "networks:join_link": Coordinated(post_only=True),
    "networks:approve": Coordinated(post_only=True),
    "networks:practices": Coordinated(),
    "networks:feature": Coordinated(post_only=True),
    # The survey results of the members that share them (issue 14); the member's own owner
    # is not let in either.
    "networks:surveys": Coordinated(),
    "networks:survey_results": Coordinated(),
    # An organisation's own networks and sharing choices: owners decide (issue 14).
    "networks:organisation_networks": Org(get=OWNER, post=OWNER, anonymous=LOGIN),
    "networks:accept": Org(get=None, post=OWNER, anonymous=LOGIN),
    "networks:sharing": Org(get=None, post=OWNER, anonymous=LOGIN),
    "networks:leave": Org(get=None, post=OWNER, anonymous=LOGIN),
    # Submitting the organisation's published practices to a network: editors (issue 14).
    "networks:organisation_practices": Org(get=EDITOR, post=EDITOR, anonymous=LOGIN),
    # --- Platform staff ---
    "staff:usage": STAFF,
    # --- Notifications: one's own only (404 for anyone else's): tests/notifications ---
    **dict.fromkeys(
        [
            "notifications:list",
            "notifications:unread",
            "notifications:open",
            "notifications:read_all",
            "notifications:preferences",
            "notifications:calendar",
        ],
        SIGNED_IN,
    ),
    "notifications:unsubscribe": PRIVATE_LINK,  # a signed link from the e-mail, no sign-in
    "notifications:calendar_feed": PRIVATE_LINK,  # a secret calendar address
}

# What is posted to every URL: valid input for each form, so that a leak would change something.
POST_DATA = {
    "item": "a1.c1",  # an answer, or an action made from a gap
    "value": "yes",
    "note": "<p>Hijacked</p>",
    "note_version": 0,
    "description": "Hijacked",
    "label": "Hijacked",
    "name": "Hijacked",
    "kind": "ngo",
    "email": "new@example.org",
    "role": "owner",
    "title": "Hijacked",
    "title_en": "Hijacked",
    "text_en": "Hijacked",
    "success_factor": "a1.sf1",
    "organisation_type": "ngo",
    "indicator-k1.q1.i1": "0",
    "languages": ["en"],
    "opens_on": "2026-01-01",
    "closes_on": "2026-12-31",
    "changes_en": "Hijacked",
    "sharing": "survey",
    "organisation": "other-city",
    "is_public": "on",
}

# Some URLs take a file format; the others' arguments come from the objects of organisation B.
FORMATS = {
    "assessments:export": "csv",
    "practices:rating_export": "pdf",
    "feedback:export": "csv",
    "feedback:results_export": "csv",
    "feedback:qr": "svg",
}


def url_patterns(patterns=None, namespace=()):
    """(namespace:name, pattern) for every named URL pattern, through includes and i18n prefixes."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from url_patterns(
                pattern.url_patterns, (*namespace, *([pattern.namespace] if pattern.namespace else []))
            )
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield ":".join((*namespace, pattern.name)), pattern


ALL_URLS = dict(url_patterns())
ORGANISATION_URLS = sorted(name for name, kind in URLS.items() if isinstance(kind, Org))
PERSONAS = ["anonymous", "outsider", VIEWER, EDITOR, OWNER]


def test_every_url_is_classified():
    unclassified = sorted(set(ALL_URLS) - set(URLS))
    assert unclassified == [], f"classify this URL in tests/test_permissions.py: {unclassified}"
    assert sorted(set(URLS) - set(ALL_URLS)) == [], "these URLs are gone: remove them from tests/test_permissions.py"


def test_every_url_pattern_has_a_name():
    def unnamed(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from unnamed(pattern.url_patterns)
            elif not pattern.name:
                yield str(pattern.pattern)

    assert list(unnamed(get_resolver().url_patterns)) == []


class OrganisationB:
    """Organisation B with its three members, and one of each object its URLs are about:
    built with factories in a few dozen inserts, once per test."""

    def __init__(self):
        self.organisation = OrganisationFactory(name="Other City", slug="other-city")
        self.members = {role: member_of(self.organisation, role) for role in (VIEWER, EDITOR, OWNER)}
        # A second owner, so that the owner may leave; a member and an invitation to act on.
        MembershipFactory(organisation=self.organisation, role=OWNER)
        target = MembershipFactory(organisation=self.organisation, role=VIEWER)
        invitation = InvitationFactory(organisation=self.organisation)
        token = AccessTokenFactory(organisation=self.organisation)
        first = AssessmentFactory(organisation=self.organisation, title="B's private self-assessment")
        # Answered individually first, consensus step open: every URL of a round, and the
        # consensus pages, are reachable (a round answered together has no consensus pages).
        assessment = AssessmentFactory(
            organisation=self.organisation,
            series=first.series,
            round_number=2,
            previous=first,
            title=first.title,
            answering_mode="individual",
            consensus_opened_at=timezone.now(),
        )
        practice = PracticeFactory(organisation=self.organisation, draft__title="B's private draft")
        rating = RatingFactory(practice=practice, rater=self.members[EDITOR])
        survey = SurveyFactory(organisation=self.organisation, title="B's private survey")
        question = SurveyQuestionFactory(survey=survey)
        checklist_item = HandbookItemFactory(key="a1.c1")  # what an action made from a gap refers to
        network_entry = NetworkMember.objects.create(
            network=NetworkFactory(), organisation=self.organisation, status=MemberStatus.INVITED
        )
        evidence = add_evidence(
            assessment,
            checklist_item,
            text="B's private evidence",
            upload=SimpleUploadedFile("b.pdf", b"%PDF-1.4\n%%EOF\n"),
            kind=PDF,
        )
        earlier_evidence = add_evidence(first, checklist_item, text="B's private evidence of round 1")
        self.arguments = {
            "slug": self.organisation.slug,
            "membership_id": target.pk,
            "invitation_id": invitation.pk,
            "token_id": token.pk,
            "public_id": assessment.public_id,
            "number": 1,  # the first key area; the first version of a practice
            "action_id": ActionFactory(assessment=assessment).pk,
            "link_id": ShareLinkFactory(assessment=assessment).pk,
            "item_id": "a1.c1",
            "evidence_id": evidence.pk,
            "earlier_id": earlier_evidence.pk,  # the previous round's, to keep for this one
            "practice_id": practice.pk,
            "rating_id": rating.pk,
            "survey_id": survey.pk,
            "question_id": question.pk,
            "device_id": create_device(survey, "B's private tablet")[0].pk,
            "language": survey.languages[0],  # a paper questionnaire's language
            "entry_id": network_entry.pk,
        }

    def snapshot(self):
        """Everything of B's that a request could change, to compare before and after."""
        organisation = self.organisation
        return [
            list(Organisation.objects.filter(pk=organisation.pk).values_list("name", "slug", "kind")),
            list(organisation.memberships.order_by("pk").values_list("user_id", "role")),
            list(organisation.invitations.order_by("pk").values_list("email", "role", "revoked")),
            list(organisation.access_tokens.order_by("pk").values_list("name", "revoked_at")),
            list(
                Assessment.objects.filter(organisation=organisation)
                .order_by("pk")
                .values_list("pk", "title", "organisation_id", "private_token_hash")
            ),
            list(Answer.objects.filter(assessment__organisation=organisation).values_list("item_id", "value")),
            list(
                IndividualAnswer.objects.filter(assessment__organisation=organisation).values_list(
                    "member_id", "item_id", "value"
                )
            ),
            list(Assessment.objects.filter(organisation=organisation).values_list("pk", "consensus_opened_at")),
            list(AreaNote.objects.filter(assessment__organisation=organisation).values_list("area", "text")),
            list(Action.objects.filter(assessment__organisation=organisation).values_list("pk", "description")),
            list(ShareLink.objects.filter(assessment__organisation=organisation).values_list("pk", "revoked_at")),
            list(Evidence.objects.filter(assessment__organisation=organisation).values_list("pk", "url", "text")),
            list(
                PracticeVersion.objects.filter(practice__organisation=organisation)
                .order_by("pk")
                .values_list("pk", "status", "content")
            ),
            list(
                Rating.objects.filter(practice__organisation=organisation).values_list("pk", "scores", "is_consensus")
            ),
            list(
                Survey.objects.filter(organisation=organisation).values_list(
                    "title", "languages", "changes", "changes_published"
                )
            ),
            list(survey_questions(organisation)),
            list(
                KioskDevice.objects.filter(survey__organisation=organisation)
                .order_by("pk")
                .values_list("pk", "name", "revoked_at")
            ),
            list(
                NetworkMember.objects.filter(organisation=organisation)
                .order_by("pk")
                .values_list("pk", "status", "sharing")
            ),
            list(NetworkPractice.objects.filter(organisation=organisation).values_list("network_id", "practice_id")),
        ]

    def url(self, name):
        pattern = ALL_URLS[name].pattern
        names = set(pattern.regex.groupindex)
        missing = names - set(self.arguments) - {"fmt"}
        assert not missing, f"tests/test_permissions.py: give OrganisationB an object for {sorted(missing)} ({name})"
        kwargs = {key: self.arguments[key] for key in names if key != "fmt"}
        if "fmt" in names:
            kwargs["fmt"] = FORMATS[name]
        with translation.override("en"):
            return reverse(name, kwargs=kwargs)


def survey_questions(organisation):
    # Through the factory's model: feedback's Question is being renamed SurveyQuestion.
    return SurveyQuestionFactory._meta.model.objects.filter(survey__organisation=organisation).values_list(
        "pk", "kind", "text"
    )


def _client_for(persona, world):
    client = Client()
    if persona == "outsider":
        client.force_login(member_of(OrganisationFactory(name="Riga Welcome", slug="riga-welcome"), OWNER))
    elif persona != "anonymous":
        client.force_login(world.members[persona])
    return client


def _expected(rule: Org, method: str, persona: str) -> set[int] | str:
    needed = getattr(rule, method)
    if persona == "anonymous":
        if rule.anonymous == LOGIN:
            return {302} if needed else {302, 405}
        return {404} if needed else {404, 405}
    if persona == "outsider":
        return {404} if needed else {404, 405}
    if needed is None:
        # A view may check the role before the method: 403 when the role is too low anyway.
        other = rule.post if method == "get" else rule.get
        return {405} if Role(persona).rank >= Role(other).rank else {403, 405}
    if Role(persona).rank < Role(needed).rank:
        return {403}
    return "allowed"


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", ORGANISATION_URLS)
def test_organisation_url_answers_each_persona_by_role(db, name, persona):
    world = OrganisationB()
    rule = URLS[name]
    url = world.url(name)
    client = _client_for(persona, world)
    before = world.snapshot()

    for method in ("get", "post"):
        response = client.post(url, POST_DATA) if method == "post" else client.get(url)
        if response.streaming:
            # Read to the end, so that the streamed file (evidence downloads) is closed as a
            # WSGI server would, not left to the garbage collector.
            b"".join(response.streaming_content)

        expected = _expected(rule, method, persona)
        if expected == "allowed":
            assert response.status_code not in {403, 404, 405} and response.status_code < 500, (method, url)
        else:
            assert response.status_code in expected, (method, url, response.status_code)
        if response.status_code == 302 and persona == "anonymous":
            assert response.headers["Location"] == f"/en/accounts/login/?next={quote(url)}", (method, url)
        if persona in {"anonymous", "outsider"}:
            assert "B&#x27;s private" not in response.content.decode(errors="replace"), (method, url)
    if persona in {"anonymous", "outsider"}:
        assert world.snapshot() == before
        assert mail.outbox == []


COORDINATED_URLS = sorted(name for name, kind in URLS.items() if isinstance(kind, Coordinated))
NETWORK_PERSONAS = ["anonymous", "outsider", "member_owner", "coordinator"]


class NetworkN:
    """A private network with a coordinator, one member organisation (whose owner is not a
    coordinator; it shares its survey results) and one organisation asking to join."""

    def __init__(self):
        self.network = NetworkFactory(name="N's private network", slug="n-network", description="N's private plan")
        self.coordinator = member_of(OrganisationFactory(name="Coordinating body", slug="coordinating-body"), OWNER)
        Coordinator.objects.create(network=self.network, user=self.coordinator)
        member = OrganisationFactory(name="Member organisation", slug="member-organisation")
        self.member_owner = member_of(member, OWNER)
        NetworkMember.objects.create(
            network=self.network, organisation=member, status=MemberStatus.ACTIVE, sharing=Sharing.SURVEY
        )
        survey = SurveyFactory(organisation=member, title="N member's survey")
        asking = NetworkMember.objects.create(
            network=self.network, organisation=OrganisationFactory(slug="asking"), status=MemberStatus.REQUESTED
        )
        OrganisationFactory(name="Other City", slug="other-city")  # the organisation an invitation names
        practice = PracticeFactory(organisation=member, is_published=True, title={"en": "Member's practice"})
        submission = NetworkPractice.objects.create(network=self.network, practice=practice, organisation=member)
        self.arguments = {
            "network_slug": self.network.slug,
            "entry_id": asking.pk,
            "submission_id": submission.pk,
            "survey_id": survey.pk,
            "fmt": "xlsx",
        }

    def snapshot(self):
        return [
            list(Network.objects.values_list("pk", "name", "description", "is_public", "join_token_hash")),
            list(NetworkMember.objects.order_by("pk").values_list("organisation_id", "status", "sharing")),
            list(Coordinator.objects.values_list("network_id", "user_id")),
            list(NetworkPractice.objects.order_by("pk").values_list("practice_id", "featured")),
        ]

    def url(self, name):
        names = set(ALL_URLS[name].pattern.regex.groupindex)
        missing = names - set(self.arguments)
        assert not missing, f"tests/test_permissions.py: give NetworkN an object for {sorted(missing)} ({name})"
        with translation.override("en"):
            return reverse(name, kwargs={key: self.arguments[key] for key in names})


@pytest.mark.parametrize("persona", NETWORK_PERSONAS)
@pytest.mark.parametrize("name", COORDINATED_URLS)
def test_coordinator_url_answers_only_coordinators(db, name, persona):
    world = NetworkN()
    rule = URLS[name]
    url = world.url(name)
    client = Client()
    if persona == "outsider":
        client.force_login(member_of(OrganisationFactory(name="Riga Welcome", slug="riga-welcome"), OWNER))
    elif persona == "member_owner":
        client.force_login(world.member_owner)
    elif persona == "coordinator":
        client.force_login(world.coordinator)
    before = world.snapshot()

    for method in ("get", "post"):
        response = client.post(url, POST_DATA) if method == "post" else client.get(url)
        if persona != "coordinator":
            assert response.status_code == 404, (method, url, response.status_code)
            assert "N&#x27;s private" not in response.content.decode(errors="replace")
        elif method == "get" and rule.post_only:
            assert response.status_code == 405, (method, url)
        else:
            assert response.status_code not in {403, 404, 405} and response.status_code < 500, (method, url)
    if persona != "coordinator":
        assert world.snapshot() == before
