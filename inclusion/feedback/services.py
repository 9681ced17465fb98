"""Feedback surveys as plain functions: creating surveys, taking anonymous responses,
limiting abuse without identifying anyone, and compiling results."""

from __future__ import annotations

import datetime
import hashlib
import ipaddress
import secrets
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from inclusion.core.exporters import Table

from .bank import RESPONDENT_LANGUAGES, get_question_bank
from .models import Answer, Question, QuestionKind, Response, Survey
from .phrases import SCALE_LABELS, SCALE_VALUES, YES_NO_LABELS

# Breakdowns by group (language, month) and summary figures need at least this many
# responses, so that no small group's answers can be singled out.
MIN_GROUP_SIZE = 5
# Submissions allowed per network (IPv4 /24, IPv6 /48) within the window, in seconds.
DEFAULT_RATE_LIMIT = (30, 600)
SUMMARY_PERIOD_DAYS = 365
# Area 4's checklist items about asking for and using feedback.
FEEDBACK_ITEMS = ("a4.c9", "a4.c10", "a4.c11", "a4.c13", "a4.c14")


class FeedbackError(Exception):
    """A rule stopped the change; the message is translated and can be shown as it is."""


# --- surveys -------------------------------------------------------------------------------


def today() -> datetime.date:
    return timezone.localdate()


def survey_state(survey: Survey, day: datetime.date | None = None) -> str:
    day = day or today()
    if day < survey.opens_on:
        return "not_yet"
    if day > survey.closes_on:
        return "closed"
    return "open"


def create_survey(*, organisation, user, title, languages, opens_on, closes_on, bank_ids) -> Survey:
    """A survey with the chosen bank questions, in the bank's order."""
    bank = get_question_bank()
    with transaction.atomic():
        survey = Survey.objects.create(
            organisation=organisation,
            title=title,
            languages=list(languages),
            opens_on=opens_on,
            closes_on=closes_on,
            created_by=user if user and user.is_authenticated else None,
        )
        Question.objects.bulk_create(
            Question(survey=survey, position=position, bank_id=bank_id, kind=bank[bank_id].kind)
            for position, bank_id in enumerate(bank_id for bank_id in bank if bank_id in set(bank_ids))
        )
    return survey


def surveys_with_counts(organisation) -> list[Survey]:
    return list(Survey.objects.filter(organisation=organisation).annotate(response_count=Count("responses")))


def update_survey(survey: Survey, *, title, languages, opens_on, closes_on) -> Survey:
    survey.title, survey.languages, survey.opens_on, survey.closes_on = title, list(languages), opens_on, closes_on
    survey.save(update_fields=["title", "languages", "opens_on", "closes_on"])
    return survey


def add_own_question(survey: Survey, kind: str, text: dict[str, str], options: list[dict[str, str]]) -> Question:
    """The organisation's own question; ``options`` is one language -> text map per option."""
    last = survey.questions.order_by("-position").values_list("position", flat=True).first()
    return Question.objects.create(
        survey=survey,
        position=(last or 0) + 1,
        kind=kind,
        text={code: value for code, value in text.items() if value},
        options=[
            {"id": f"o{index}", "text": {code: value for code, value in option.items() if value}}
            for index, option in enumerate(options, start=1)
        ]
        if kind in {QuestionKind.SINGLE, QuestionKind.MULTIPLE}
        else [],
    )


def remove_question(survey: Survey, question: Question) -> None:
    if question.answers.exists():
        raise FeedbackError(_("This question already has answers, so it cannot be removed."))
    question.delete()


def publish_changes(survey: Survey, texts: dict[str, str], published: bool) -> Survey:
    """'You said, we did': what the organisation changed, per language."""
    survey.changes = {code: value.strip() for code, value in texts.items() if value.strip()}
    survey.changes_published = published and bool(survey.changes)
    survey.save(update_fields=["changes", "changes_published"])
    return survey


# --- presenting questions in a language ----------------------------------------------------


def localised(texts: dict[str, str], language: str, languages: list[str]) -> str:
    """The text in ``language``, else in the survey's first language that has one."""
    if texts.get(language):
        return texts[language]
    for code in languages:
        if texts.get(code):
            return texts[code]
    return next(iter(texts.values()), "")


def respondent_language(survey: Survey, accepted: str) -> str:
    """The survey language that best matches an Accept-Language header, else its first."""
    wanted = []
    for part in accepted.split(","):
        code, _sep, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        wanted.append((quality, code.strip().lower().split("-")[0]))
    for _quality, code in sorted(wanted, key=lambda pair: -pair[0]):
        if code in survey.languages:
            return code
    return survey.languages[0]


@dataclass
class PresentedQuestion:
    question: Question
    text: str
    choices: list[tuple[str, str]]  # (stored value, label in the language)

    @property
    def kind(self) -> str:
        return self.question.kind

    @property
    def name(self) -> str:
        return f"q{self.question.pk}"


def choices_for(question: Question, language: str, languages: list[str]) -> list[tuple[str, str]]:
    """Stored value and label of every answer a question offers, in ``language``."""
    if question.kind == QuestionKind.SCALE:
        with translation.override(language):
            return [(value, str(SCALE_LABELS[value])) for value in SCALE_VALUES]
    if question.kind == QuestionKind.YES_NO:
        with translation.override(language):
            return [(value, str(label)) for value, label in YES_NO_LABELS.items()]
    if question.kind in {QuestionKind.SINGLE, QuestionKind.MULTIPLE}:
        if question.bank_id:
            bank_question = get_question_bank().get(question.bank_id)
            options = bank_question.options if bank_question else ()
            return [(option.id, localised(option.text, language, languages)) for option in options]
        return [(option["id"], localised(option["text"], language, languages)) for option in question.options]
    return []


def question_text(question: Question, language: str, languages: list[str]) -> str:
    if question.bank_id:
        bank_question = get_question_bank().get(question.bank_id)
        return localised(bank_question.text, language, languages) if bank_question else question.bank_id
    return localised(question.text, language, languages)


def present_questions(survey: Survey, questions, language: str) -> list[PresentedQuestion]:
    return [
        PresentedQuestion(
            question,
            question_text(question, language, survey.languages),
            choices_for(question, language, survey.languages),
        )
        for question in questions
    ]


# --- responses and abuse limits ------------------------------------------------------------


def submit_response(survey: Survey, language: str, answers: dict[Question, object]) -> Response:
    """Store one response: the language and the day, nothing about who sent it."""
    rows = []
    for question, value in answers.items():
        if question.kind == QuestionKind.TEXT:
            if value:
                rows.append(Answer(question=question, text=value))
        elif question.kind == QuestionKind.MULTIPLE:
            rows.extend(Answer(question=question, choice=choice) for choice in value or [])
        elif value:
            rows.append(Answer(question=question, choice=value))
    with transaction.atomic():
        response = Response.objects.create(survey=survey, language=language, submitted_on=today())
        for row in rows:
            row.response = response
        Answer.objects.bulk_create(rows)
    return response


def _daily_salt() -> str:
    """A random salt that lives only in the cache and changes every day: yesterday's hashes
    cannot be matched to today's, and nothing on disk can reverse them."""
    key = f"feedback:salt:{today().isoformat()}"
    cache.add(key, secrets.token_hex(16), timeout=2 * 86400)
    return cache.get(key) or ""


def network_of(address: str) -> str:
    """The /24 (IPv4) or /48 (IPv6) network of an address: limits a whole café or office
    Wi-Fi together, which is fairer than per address and as hard to dodge."""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return "unknown"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def allow_submission(address: str) -> bool:
    """Count one submission from this address's network; False once over the limit.

    Only a salted hash of the network is kept, in the cache, for the length of the window.
    """
    limit, window = getattr(settings, "FEEDBACK_RATE_LIMIT", DEFAULT_RATE_LIMIT)
    digest = hashlib.sha256(f"{_daily_salt()}|{network_of(address)}".encode()).hexdigest()[:32]
    key = f"feedback:rate:{digest}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        count = 1
    return count <= limit


# --- results -------------------------------------------------------------------------------


@dataclass
class ChoiceCount:
    value: str
    label: str
    count: int
    percent: int


@dataclass
class QuestionResult:
    presented: PresentedQuestion
    answered: int
    counts: list[ChoiceCount] = field(default_factory=list)
    mean: float | None = None


@dataclass
class GroupCount:
    label: str
    count: int | None  # None: suppressed, fewer than MIN_GROUP_SIZE


@dataclass
class MonthRow:
    month: datetime.date
    count: int | None
    means: list[float | None]  # one per scale question, None when suppressed or unanswered


@dataclass
class Results:
    total: int
    by_language: list[GroupCount]
    months: list[MonthRow]
    scale_questions: list[PresentedQuestion]
    questions: list[QuestionResult]


def _suppress(count: int) -> int | None:
    return count if count >= MIN_GROUP_SIZE else None


def _mean(counts: dict[str, int]) -> float | None:
    answered = sum(counts.get(value, 0) for value in SCALE_VALUES)
    if not answered:
        return None
    return round(sum(int(value) * counts.get(value, 0) for value in SCALE_VALUES) / answered, 1)


def _aggregates(survey: Survey, questions: list[Question]) -> dict:
    """The database's counts for a survey: per language, per day, per question and choice.

    Responses are only ever added, so the newest response ID identifies the data: the
    counts are kept in the cache under it and recomputed only after a new response.
    """
    question_ids = sorted(question.pk for question in questions)
    newest = Response.objects.filter(survey=survey).aggregate(newest=Max("id"))["newest"] or 0
    key = f"feedback-results:{survey.pk}:{newest}:{hashlib.sha256(repr(question_ids).encode()).hexdigest()[:16]}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    per_language = dict(
        Response.objects.filter(survey=survey).values_list("language").annotate(n=Count("id")).order_by()
    )
    # Grouped by day in the database (an index covers it), folded into months here: SQLite
    # truncates dates to months through a Python function, row by row, which is slow.
    per_month: dict[datetime.date, int] = defaultdict(int)
    for day, n in Response.objects.filter(survey=survey).values_list("submitted_on").annotate(n=Count("id")).order_by():
        per_month[day.replace(day=1)] += n
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for question_id, choice, n in (
        Answer.objects.filter(question_id__in=question_ids)
        .values_list("question_id", "choice")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts[question_id][choice] = n
    multiple_ids = [q.pk for q in questions if q.kind == QuestionKind.MULTIPLE]
    respondents = {}
    if multiple_ids:
        respondents = dict(
            Answer.objects.filter(question_id__in=multiple_ids)
            .values_list("question_id")
            .annotate(n=Count("response_id", distinct=True))
            .order_by()
        )
    scale_ids = [q.pk for q in questions if q.kind == QuestionKind.SCALE]
    month_counts: dict[tuple, dict[str, int]] = defaultdict(dict)
    if scale_ids:
        for day, question_id, choice, n in (
            Answer.objects.filter(question_id__in=scale_ids)
            .values_list("response__submitted_on", "question_id", "choice")
            .annotate(n=Count("id"))
            .order_by()
        ):
            bucket = month_counts[(day.replace(day=1), question_id)]
            bucket[choice] = bucket.get(choice, 0) + n
    aggregates = {
        "per_language": per_language,
        "per_month": dict(per_month),
        "counts": dict(counts),
        "respondents": respondents,
        "month_counts": dict(month_counts),
    }
    cache.set(key, aggregates, 3600)
    return aggregates


def compile_results(survey: Survey, questions: list[Question], language: str) -> Results:
    """Counts per question and choice, per language and per month, all aggregated in the
    database: the number of queries does not depend on the number of responses."""
    presented = present_questions(survey, questions, language)
    aggregates = _aggregates(survey, questions)
    per_language = aggregates["per_language"]
    per_month = aggregates["per_month"]
    counts = aggregates["counts"]
    respondents = aggregates["respondents"]
    month_counts = aggregates["month_counts"]
    total = sum(per_language.values())
    scale = [item for item in presented if item.kind == QuestionKind.SCALE]
    results = []
    for item in presented:
        own = counts.get(item.question.pk, {})
        if item.kind == QuestionKind.TEXT:
            results.append(QuestionResult(item, answered=own.get("", 0)))
            continue
        answered = respondents.get(item.question.pk, 0) if item.kind == QuestionKind.MULTIPLE else sum(own.values())
        rows = [
            ChoiceCount(value, label, own.get(value, 0), round(100 * own.get(value, 0) / answered) if answered else 0)
            for value, label in item.choices
        ]
        mean = _mean(own) if item.kind == QuestionKind.SCALE else None
        results.append(QuestionResult(item, answered, rows, mean))

    languages = [
        GroupCount(RESPONDENT_LANGUAGES.get(code, code), _suppress(per_language[code]))
        for code in [*survey.languages, *sorted(set(per_language) - set(survey.languages))]
        if code in per_language
    ]
    months = [
        MonthRow(
            month,
            _suppress(n),
            [_mean(month_counts.get((month, item.question.pk), {})) if n >= MIN_GROUP_SIZE else None for item in scale],
        )
        for month, n in sorted(per_month.items())
    ]
    return Results(total, languages, months, scale, results)


def comments_for(survey: Survey, include_unreviewed: bool):
    """Written answers, newest first; viewers see only those an editor has reviewed."""
    comments = (
        Answer.objects.filter(question__survey=survey, question__kind=QuestionKind.TEXT)
        .exclude(text="")
        .select_related("response")
        .order_by("-response_id", "question__position")
    )
    return comments if include_unreviewed else comments.filter(reviewed=True)


def mark_reviewed(survey: Survey, answer_ids: list[int]) -> int:
    return Answer.objects.filter(question__survey=survey, pk__in=answer_ids).update(reviewed=True)


def results_table(survey: Survey, questions: list[Question], language: str, include_unreviewed: bool) -> Table:
    """One row per response for CSV/XLSX; written answers only once reviewed, unless the
    reader may review them. Streams the answers in response order."""
    presented = present_questions(survey, questions, language)
    labels = {item.question.pk: dict(item.choices) for item in presented}
    columns = {item.question.pk: index for index, item in enumerate(presented)}
    header = [_("Response"), _("Date"), _("Language"), *(item.text for item in presented)]

    def rows():
        responses = Response.objects.filter(survey=survey).order_by("pk").values_list("pk", "submitted_on", "language")
        answers = (
            Answer.objects.filter(question__survey=survey)
            .order_by("response_id", "pk")
            .values_list("response_id", "question_id", "choice", "text", "reviewed")
            .iterator(chunk_size=5000)
        )
        pending = next(answers, None)
        for number, (pk, day, code) in enumerate(responses.iterator(chunk_size=5000), start=1):
            cells: list[list[str]] = [[] for _item in presented]
            while pending is not None and pending[0] <= pk:
                _response, question_id, choice, text, reviewed = pending
                if pending[0] == pk and question_id in columns:
                    if choice:
                        cells[columns[question_id]].append(labels[question_id].get(choice, choice))
                    elif text and (reviewed or include_unreviewed):
                        cells[columns[question_id]].append(text)
                pending = next(answers, None)
            yield [number, day, code, *("; ".join(cell) for cell in cells)]

    return Table(title=survey.title, header=header, rows=rows())


# --- the self-assessment summary ------------------------------------------------------------


@dataclass
class AreaQuestionFeedback:
    text: str
    kind: str
    answered: int
    mean: float | None
    yes_percent: int | None
    top_choices: list[ChoiceCount]


@dataclass
class SurveyActivity:
    surveys: int
    responses: int
    items: tuple[str, ...] = FEEDBACK_ITEMS


@dataclass
class OrganisationFeedback:
    by_area: dict[str, list[AreaQuestionFeedback]]
    activity: SurveyActivity


def organisation_feedback(organisation, language: str, day: datetime.date | None = None) -> OrganisationFeedback:
    """What refugees said in the last 12 months, per key area, for every area at once (two
    queries). A question appears only with at least MIN_GROUP_SIZE answers."""
    day = day or today()
    since = day - datetime.timedelta(days=SUMMARY_PERIOD_DAYS)
    recent = list(
        Survey.objects.filter(organisation=organisation, opens_on__lte=day, closes_on__gte=since)
        .annotate(recent=Count("responses", filter=Q(responses__submitted_on__gte=since)))
        .values_list("recent", flat=True)
    )
    activity = SurveyActivity(surveys=len(recent), responses=sum(recent))
    bank = get_question_bank()
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    if activity.responses >= MIN_GROUP_SIZE:
        for bank_id, choice, n in (
            Answer.objects.filter(
                response__survey__organisation=organisation,
                response__submitted_on__gte=since,
                question__bank_id__in=[q.id for q in bank.values() if q.kind != QuestionKind.TEXT],
            )
            .values_list("question__bank_id", "choice")
            .annotate(n=Count("id"))
            .order_by()
        ):
            counts[bank_id][choice] += n
    by_area: dict[str, list[AreaQuestionFeedback]] = defaultdict(list)
    for bank_question in bank.values():
        own = counts.get(bank_question.id)
        if not own:
            continue
        answered = sum(own.values())  # for a multiple choice: how many times an option was chosen
        if answered < MIN_GROUP_SIZE:
            continue
        top = []
        if bank_question.kind in {QuestionKind.SINGLE, QuestionKind.MULTIPLE}:
            total = sum(own.values())
            top = sorted(
                (
                    ChoiceCount(
                        o.id,
                        o.text.get(language) or o.text["en"],
                        own.get(o.id, 0),
                        round(100 * own.get(o.id, 0) / total),
                    )
                    for o in bank_question.options
                    if own.get(o.id)
                ),
                key=lambda row: -row.count,
            )[:3]
        by_area[bank_question.area].append(
            AreaQuestionFeedback(
                text=bank_question.text.get(language) or bank_question.text["en"],
                kind=bank_question.kind,
                answered=answered,
                mean=_mean(own) if bank_question.kind == QuestionKind.SCALE else None,
                yes_percent=round(100 * own.get("yes", 0) / answered)
                if bank_question.kind == QuestionKind.YES_NO
                else None,
                top_choices=top,
            )
        )
    return OrganisationFeedback(dict(by_area), activity)
