"""Every page a signed-in owner can reach speaks Latvian on /lv/: no interface string is left in
English. The check compares the Latvian and the English rendering of the same page: a text node
(or label-like attribute) that reads the same in both is untranslated, unless it is data the test
itself created, handbook or question-bank content, or on the short list of words that are the
same in both languages."""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.urls import LocalePrefixPattern, URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from inclusion.api.models import AccessToken
from inclusion.assessments.answers import save_answer
from inclusion.assessments.models import Action, ShareLink
from inclusion.assessments.notes import save_note
from inclusion.assessments.rounds import start_assessment, start_next_round
from inclusion.core.tokens import hash_token
from inclusion.feedback.bank import get_question_bank
from inclusion.feedback.surveys import create_survey
from inclusion.feedback.surveys import today as surveys_today
from inclusion.handbook.services import get_handbook, import_content
from inclusion.organisations import services as organisations
from inclusion.organisations.models import Role
from inclusion.practices.handbook_examples import import_handbook_practices
from inclusion.practices.models import Practice
from inclusion.practices.ratings import save_rating
from inclusion.practices.submissions import create_practice

from ..factories import MembershipFactory, OrganisationFactory

# Data the test creates: the same in both languages by nature.
ORGANISATION = "Ozolnieku biedrība"
OWNER_EMAIL = "ilze@ozolnieki.example"
EDITOR_EMAIL = "janis@ozolnieki.example"
INVITED_EMAIL = "anna@ozolnieki.example"
ASSESSMENT = "Uzņemšanas dienests"
PRIVATE_ASSESSMENT = "Bērnudārzs Zīle"
PRACTICE = "Valodu kafejnīca"
SURVEY = "Sociālā dienesta aptauja"
TOKEN_NAME = "Domes panelis"
DATA = [ORGANISATION, OWNER_EMAIL, EDITOR_EMAIL, INVITED_EMAIL, ASSESSMENT, PRIVATE_ASSESSMENT, PRACTICE, SURVEY]
DATA += [TOKEN_NAME, "Rīga", "Ozolnieki", "Tulki pieņemšanā", "Aptauja 2025", "itk_", "https://", "http://"]
DATA += ["Kas jāmaina?", "Planšete uzgaidāmajā telpā", "Vidzemes tīkls", "(LV)"]

# The same word in Latvian and English: product names, formats, language names, codes.
SAME_IN_BOTH = {
    "Inclusion Toolkit",
    "English",
    "Latviešu",
    "latviešu",
    "API",
    "JSON",
    "CSV",
    "XLSX",
    "PDF",
    "PNG",
    "SVG",
    "QR",
    "UNHCR",
    "TOTP",
    "Authorization: Bearer",
    "Українська",
    "Русский",
    "العربيّة",
    "فارسی",
}

# Routes that are not pages an owner opens: the reason is part of the list.
NOT_OWNER_PAGES = {
    "staff:usage": "staff only",
    "practices:moderation": "moderators only",
    "practices:review": "moderators only",
    "account_confirm_email": "needs an e-mail confirmation key",
    "account_reset_password_from_key": "needs a password-reset key",
    "account_confirm_login_code": "only during a sign-in by code",
    "mfa_authenticate": "only during a two-factor sign-in",
    "mfa_reauthenticate": "only with two-factor set up",
    "mfa_deactivate_totp": "only with two-factor set up",
    "mfa_view_recovery_codes": "only with two-factor set up",
    "mfa_generate_recovery_codes": "only with two-factor set up",
    "mfa_download_recovery_codes": "a text file",
    "account_logout": "signs out",
    "handbook:video_file": "a video, its captions or its poster, not a page",
    "assessments:evidence_file": "a download of an attached file",
    "respond:recording": "an audio file",
    "networks:feature": "a POST button: features a submitted practice",
    "feedback:preview": "the survey as a respondent sees it, in the survey's language, not the reader's",
}

TEXT_ATTRIBUTES = {"placeholder", "aria-label", "title", "alt"}
LETTERS = re.compile(r"[A-Za-z]{2}")
YEAR = re.compile(r"\s*\(\d{4}\)\.?$")  # a resource's "Author (2018)." is content with its year


class _TextNodes(HTMLParser):
    """The visible text nodes of a page, and attribute text a person reads or hears."""

    def __init__(self):
        super().__init__()
        self.nodes: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style", "code", "pre"}:
            self._skip += 1
        attributes = dict(attrs)
        for name in TEXT_ATTRIBUTES & attributes.keys():
            self._add(attributes[name])
        if tag == "input" and attributes.get("type") in {"submit", "button"}:
            self._add(attributes.get("value"))

    def handle_endtag(self, tag):
        if tag in {"script", "style", "code", "pre"}:
            self._skip = max(0, self._skip - 1)

    def handle_data(self, data):
        if not self._skip:
            self._add(data)

    def _add(self, text):
        text = " ".join((text or "").split())
        if LETTERS.search(text):
            self.nodes.append(text)


def text_nodes(html: str) -> list[str]:
    parser = _TextNodes()
    parser.feed(html)
    return parser.nodes


def _content_corpus() -> str:
    """Every word of the handbook and the question banks, in every language, on one line."""
    texts = [path.read_text() for path in sorted(settings.CONTENT_DIR.rglob("*.yaml"))]
    return " ".join(" ".join(texts).split())


def untranslated(lv_html: str, en_html: str, corpus: str) -> list[str]:
    english = set(text_nodes(en_html))
    found = []
    for node in text_nodes(lv_html):
        if node not in english or node in SAME_IN_BOTH or node in found:
            continue
        if any(data in node for data in DATA) or node in corpus or YEAR.sub("", node) in corpus:
            continue
        found.append(node)
    return found


def routes(patterns, namespace=""):
    """(name, pattern) of every named URL in `patterns`, namespaces included."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from routes(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern


def language_routes():
    """The routes under the language prefix (/lv/, /en/): the interface pages."""
    for resolver in get_resolver().url_patterns:
        if isinstance(resolver, URLResolver) and isinstance(resolver.pattern, LocalePrefixPattern):
            yield from routes(resolver.url_patterns)


@pytest.fixture
def world(db):
    """An owner with one of everything an organisation can hold."""
    handbook = get_handbook()
    import_content(handbook)
    import_handbook_practices(handbook)
    owner = MembershipFactory(
        role=Role.OWNER,
        user__email=OWNER_EMAIL,
        organisation=OrganisationFactory(name=ORGANISATION, slug="ozolnieku-biedriba", country="LV", city="Ozolnieki"),
    )
    organisation, user = owner.organisation, owner.user
    editor = MembershipFactory(organisation=organisation, role=Role.EDITOR, user__email=EDITOR_EMAIL)
    organisations.invite(organisation, owner, INVITED_EMAIL, Role.VIEWER, base_url="http://testserver")
    invitation = organisation.invitations.get()
    invitation_token = "test-invitation-token-0123456789abcdef"
    invitation.token_hash = hash_token(invitation_token)
    invitation.save(update_fields=["token_hash"])

    assessment, _token = start_assessment(
        title=ASSESSMENT, organisation_kind=organisation.kind, organisation=organisation, user=user
    )
    save_answer(assessment, "a1.c1", "yes", "Tulki pieņemšanā", user)
    save_answer(assessment, "a1.c2", "no", "", user)
    save_note(assessment, "a1", "<p>Tulki pieņemšanā</p>", 0, user)
    assessment = start_next_round(assessment, user)  # a second round: the comparison page
    save_answer(assessment, "a1.c2", "partly", "", user)
    action = Action.objects.create(
        assessment=assessment,
        area="a1",
        item_id="a1.c2",
        description="Tulki pieņemšanā",
        owner="Ozolnieki",
        due_date=datetime.date(2026, 11, 27),
    )
    ShareLink.objects.create(assessment=assessment, token_hash=hash_token("share-token"), label="Rīga", created_by=user)
    private, private_token = start_assessment(title=PRIVATE_ASSESSMENT, organisation_kind="ngo")

    content = {
        "title": {"lv": PRACTICE, "en": PRACTICE},
        "organisation_name": {"lv": ORGANISATION, "en": ORGANISATION},
        "city": {"lv": "Rīga", "en": "Rīga"},
        "text": {"lv": "Tulki pieņemšanā", "en": "Tulki pieņemšanā"},
        "countries": ["LV"],
        "success_factor": "a5.sf3",
        "organisation_type": "authority",
        "target_groups": ["refugees"],
        "links": ["https://ozolnieki.example/kafejnica"],
        "scores": {},
        "evidence": {},
    }
    practice = create_practice(organisation, content, user)
    criteria = handbook.edition("en").criteria.criteria
    scores = {indicator.id: "2" for criterion in criteria for indicator in criterion.indicators[:2]}
    rating = save_rating(practice, user, criteria, scores, {"k1.q1": "Aptauja 2025"})

    survey = create_survey(
        organisation=organisation,
        user=user,
        title=SURVEY,
        languages=["lv", "en"],
        opens_on=surveys_today() - datetime.timedelta(days=3),
        closes_on=surveys_today() + datetime.timedelta(days=20),
        bank_ids=list(get_question_bank()),
    )
    token, _clear = AccessToken.issue(organisation, user, TOKEN_NAME)
    # What the newer pages are about: evidence, a kiosk tablet, a network, a notification.
    from django.utils import timezone

    from inclusion.assessments.consensus import open_consensus
    from inclusion.assessments.evidence import add_evidence
    from inclusion.assessments.models import AnsweringMode
    from inclusion.feedback.kiosks import create_device
    from inclusion.handbook.models import HandbookItem
    from inclusion.networks.models import Coordinator, MemberStatus, Network, NetworkMember, Sharing
    from inclusion.notifications.models import Kind, Notification

    individual, _token = start_assessment(
        title=ASSESSMENT, organisation_kind=organisation.kind, organisation=organisation, user=user,
        answering_mode=AnsweringMode.INDIVIDUAL,
    )  # fmt: skip
    open_consensus(individual)
    evidence = add_evidence(assessment, HandbookItem.objects.get(key="a1.c1"), text="Tulki pieņemšanā", user=user)
    # A second round whose key-area and item pages offer the first round's evidence to keep.
    earlier_round, _token = start_assessment(
        title=ASSESSMENT, organisation_kind=organisation.kind, organisation=organisation, user=user
    )
    earlier = add_evidence(earlier_round, HandbookItem.objects.get(key="a1.c1"), text="Tulki pieņemšanā", user=user)
    later_round = start_next_round(earlier_round, user=user)
    device, _code = create_device(survey, "Planšete uzgaidāmajā telpā", user)
    from inclusion.feedback.surveys import add_own_question

    own_question = add_own_question(survey, "text", {"lv": "Kas jāmaina?", "en": "Kas jāmaina?"}, [])
    network = Network.objects.create(name="Vidzemes tīkls", slug="vidzemes-tikls", country="LV", is_public=True)
    Coordinator.objects.create(network=network, user=user)
    from inclusion.networks.membership import new_join_link
    from inclusion.notifications.calendar import new_feed
    from inclusion.notifications.preferences import unsubscribe_token

    join_token = new_join_link(network)
    feed_token = new_feed(user)
    # Sharing its survey results: the coordinator's pages of shared surveys open too.
    entry = NetworkMember.objects.create(
        network=network, organisation=organisation, status=MemberStatus.ACTIVE, sharing=Sharing.SURVEY
    )
    now = timezone.now()
    notification = Notification.objects.create(
        kind=Kind.values[0], subject_key="world", recipient=user, created_at=now, send_after=now
    )
    return {
        "user": user,
        "private_token": private_token,
        "kwargs": {
            "slug": organisation.slug,
            "public_id": assessment.public_id,
            "number": 1,
            "membership_id": editor.pk,
            "invitation_id": invitation.pk,
            "token": invitation_token,
            "token_id": token.pk,
            "action_id": action.pk,
            "link_id": assessment.share_links.get().pk,
            "practice_id": practice.pk,
            "rating_id": rating.pk,
            "survey_id": survey.pk,
            "question_id": survey.questions.first().pk,
            "item_id": "a1.c1",
            "evidence_id": evidence.pk,
            "earlier_id": earlier.pk,
            "language": "lv",
            "device_id": device.pk,
            "network_slug": network.slug,
            "entry_id": entry.pk,
            "notification_id": notification.pk,
            "submission_id": 1,
        },
        "overrides": {
            "assessments:private_link": {"token": private_token},
            "assessments:shared": {"token": "share-token"},
            "assessments:claim": {"public_id": private.public_id},
            "practices:detail": {"practice_id": Practice.objects.filter(is_published=True).first().pk},
            "assessments:consensus": {"public_id": individual.public_id},
            "feedback:question_edit": {"question_id": own_question.pk},
            "networks:join": {"token": join_token},
            "notifications:calendar_feed": {"token": feed_token},
            "notifications:unsubscribe": {"token": unsubscribe_token(user.pk, [Kind.values[0]])},
            "assessments:consensus_area": {"public_id": individual.public_id},
            "assessments:area": {"public_id": later_round.public_id},
            "assessments:evidence": {"public_id": later_round.public_id},
            "assessments:evidence_keep": {"public_id": later_round.public_id},
        },
    }


def owner_pages(world):
    """(name, path without the language prefix) of every page under /lv/ that takes a GET."""
    pages = []
    for name, pattern in language_routes():
        if name in NOT_OWNER_PAGES:
            continue
        needed = set(pattern.pattern.regex.groupindex)
        kwargs = {key: value for key, value in world["kwargs"].items() if key in needed}
        kwargs.update({key: value for key, value in world["overrides"].get(name, {}).items() if key in needed})
        if "fmt" in needed or name.endswith("pdf") or str(pattern.pattern).endswith(".pdf"):
            continue  # a download (PDF, CSV, XLSX, QR code), not a page
        with translation.override("lv"):
            path = reverse(name, kwargs=kwargs)  # NoReverseMatch: add the route's arguments to `world`
        pages.append((name, path.removeprefix("/lv/")))
    return pages


def compare_languages(client, world, hidden=frozenset()) -> tuple[dict[str, list[str]], list[str]]:
    """({route name: English left on its Latvian page}, names of the pages compared).

    `hidden`: statuses that are right for this visitor (404 for an organisation's pages)."""
    corpus = _content_corpus()
    problems, checked = {}, []
    for name, path in owner_pages(world):
        lv = client.get(f"/lv/{path}")
        if lv.status_code in {204, 301, 302, 405, *hidden} or not lv["Content-Type"].startswith("text/html"):
            continue  # not a page: a redirect, a POST-only action, a file
        # 403 is a page too: the owner opening an invitation sent to another address is told so.
        assert lv.status_code in (200, 403), f"{name} /lv/{path}: {lv.status_code}"
        en = client.get(f"/en/{path}")
        assert en.status_code == lv.status_code, f"{name} /en/{path}: {en.status_code}"
        checked.append(name)
        left = untranslated(lv.content.decode(), en.content.decode(), corpus)
        if left:
            problems[name] = left
    return problems, checked


def report(problems) -> str:
    return "English on Latvian pages:\n" + "\n".join(f"{name}: {left}" for name, left in problems.items())


def test_every_owner_page_speaks_latvian(client, world):
    client.force_login(world["user"])
    client.get(f"/lv/assessments/private/{world['private_token']}/")  # this browser may open it (claim)

    problems, checked = compare_languages(client, world)

    assert problems == {}, report(problems)
    # The walk must keep reaching the pages that matter; a broken fixture would skip them.
    expected = {
        "organisations:detail",
        "organisations:members",
        "organisations:edit",
        "organisations:delete",
        "organisations:accept_invitation",
        "api_tokens:tokens",
        "account_my_data",
        "account_delete",
        "account_email",
        "mfa_index",
        "assessments:overview",
        "assessments:area",
        "assessments:summary",
        "assessments:actions",
        "assessments:compare",
        "assessments:claim",
        "practices:manage",
        "practices:rate",
        "practices:rating",
        "feedback:list",
        "feedback:detail",
        "feedback:results",
        "handbook:area",
        "networks:surveys",
        "networks:survey_results",
    }
    assert expected - set(checked) == set()


def test_every_page_for_visitors_speaks_latvian(client, world):
    problems, checked = compare_languages(client, world, hidden={404})

    assert problems == {}, report(problems)
    expected = {"account_login", "account_signup", "account_reset_password", "organisations:accept_invitation", "home"}
    assert expected - set(checked) == set()


@pytest.mark.parametrize(
    ("path", "ours", "theirs"),
    [
        ("/lv/accounts/signup/", "Jums jau ir konts? Tad", "spiedied šeit"),
        ("/lv/accounts/signup/", "Parolē jābūt vismaz 8 rakstzīmēm.", "vismaz 8 rakstzīmei"),
        ("/lv/accounts/login/", "Ja jums vēl nav konta, vispirms", "piereģistrējaties"),
    ],
)
def test_sign_in_pages_use_our_latvian_not_the_packages(client, db, path, ours, theirs):
    body = client.get(path).content.decode()

    assert ours in body
    assert theirs not in body


@pytest.mark.django_db
def test_password_errors_in_latvian_are_grammatical(client):
    response = client.post(
        "/lv/accounts/signup/", {"email": "ilze@ozolnieki.example", "password1": "ilze1", "password2": "ilze1"}
    )

    body = response.content.decode()
    assert "Šī parole ir par īsu. Tajā jābūt vismaz 8 rakstzīmēm." in body
    assert "rakstzīmei" not in body
    assert "līdzīga e-pasta adrese" not in body


def test_untranslated_finds_english_left_on_a_latvian_page():
    lv = '<main><h1>Jūsu dati</h1><p>API tokens</p><p title="Skip">Ozolnieku biedrība</p><p>PDF</p></main>'
    en = '<main><h1>Your data</h1><p>API tokens</p><p title="Skip">Ozolnieku biedrība</p><p>PDF</p></main>'

    assert untranslated(lv, en, corpus="") == ["API tokens", "Skip"]
