"""What respondents said: counts per question and group, written answers and their review,
the export, and the summary beside a self-assessment. Small groups are suppressed here."""

from __future__ import annotations

import datetime
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, Max, Q
from django.utils.translation import gettext as _

from inclusion.core.exporters import Table
from inclusion.core.i18n import localised
from inclusion.core.suppression import MIN_GROUP_SIZE
from inclusion.handbook.content import REFERENCE_LANGUAGE

from .bank import RESPONDENT_LANGUAGES, get_question_bank
from .models import QuestionKind, Response, Survey, SurveyAnswer, SurveyQuestion
from .phrases import SCALE_VALUES
from .questions import PresentedQuestion, present_questions
from .surveys import today

SUMMARY_PERIOD_DAYS = 365
# Area 4's checklist items about asking for and using feedback.
FEEDBACK_ITEMS = ("a4.c9", "a4.c10", "a4.c11", "a4.c13", "a4.c14")


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

    @property
    def question_texts(self) -> dict[int, str]:
        """Question ID -> wording in the reader's language, to label written answers."""
        return {result.presented.question.pk: result.presented.text for result in self.questions}


def _suppress(count: int) -> int | None:
    return count if count >= MIN_GROUP_SIZE else None


def _mean(counts: dict[str, int]) -> float | None:
    answered = sum(counts.get(value, 0) for value in SCALE_VALUES)
    if not answered:
        return None
    return round(sum(int(value) * counts.get(value, 0) for value in SCALE_VALUES) / answered, 1)


def _aggregates(survey: Survey, questions: list[SurveyQuestion]) -> dict:
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
        SurveyAnswer.objects.filter(question_id__in=question_ids)
        .values_list("question_id", "choice")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts[question_id][choice] = n
    multiple_ids = [q.pk for q in questions if q.kind == QuestionKind.MULTIPLE]
    respondents = {}
    if multiple_ids:
        respondents = dict(
            SurveyAnswer.objects.filter(question_id__in=multiple_ids)
            .values_list("question_id")
            .annotate(n=Count("response_id", distinct=True))
            .order_by()
        )
    scale_ids = [q.pk for q in questions if q.kind == QuestionKind.SCALE]
    month_counts: dict[tuple, dict[str, int]] = defaultdict(dict)
    if scale_ids:
        for day, question_id, choice, n in (
            SurveyAnswer.objects.filter(question_id__in=scale_ids)
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


def compile_results(survey: Survey, questions: list[SurveyQuestion], language: str) -> Results:
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
        SurveyAnswer.objects.filter(question__survey=survey, question__kind=QuestionKind.TEXT)
        .exclude(text="")
        .select_related("response")
        .order_by("-response_id", "question__position")
    )
    return comments if include_unreviewed else comments.filter(reviewed=True)


def mark_reviewed(survey: Survey, answer_ids: list[int]) -> int:
    return SurveyAnswer.objects.filter(question__survey=survey, pk__in=answer_ids).update(reviewed=True)


def results_table(survey: Survey, questions: list[SurveyQuestion], language: str, include_unreviewed: bool) -> Table:
    """One row per response for CSV/XLSX; written answers only once reviewed, unless the
    reader may review them. Streams the answers in response order."""
    presented = present_questions(survey, questions, language)
    labels = {item.question.pk: dict(item.choices) for item in presented}
    columns = {item.question.pk: index for index, item in enumerate(presented)}
    header = [_("Response"), _("Date"), _("Language"), *(item.text for item in presented)]

    def rows():
        responses = Response.objects.filter(survey=survey).order_by("pk").values_list("pk", "submitted_on", "language")
        answers = (
            SurveyAnswer.objects.filter(question__survey=survey)
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


# --- beside the self-assessment summary ------------------------------------------------------


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

    @property
    def area(self) -> str:
        """The key area whose checklist items ask for feedback: the activity is shown there."""
        return self.items[0].split(".")[0]


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
            SurveyAnswer.objects.filter(
                response__survey__organisation=organisation,
                response__submitted_on__gte=since,
                question__bank_id__in=[q.id for q in bank.values() if q.kind != QuestionKind.TEXT],
            )
            .values_list("question__bank_id", "choice")
            .annotate(n=Count("id"))
            .order_by()
        ):
            counts[bank_id][choice] += n
    fallbacks = (REFERENCE_LANGUAGE,)
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
            top = sorted(
                (
                    ChoiceCount(
                        o.id,
                        localised(o.text, language, fallbacks),
                        own.get(o.id, 0),
                        round(100 * own.get(o.id, 0) / answered),
                    )
                    for o in bank_question.options
                    if own.get(o.id)
                ),
                key=lambda row: -row.count,
            )[:3]
        by_area[bank_question.area].append(
            AreaQuestionFeedback(
                text=localised(bank_question.text, language, fallbacks),
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
