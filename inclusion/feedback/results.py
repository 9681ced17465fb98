"""What respondents said: counts per question and group, written answers and their review,
the exports, and the summary beside a self-assessment. Every count goes through
inclusion.core.suppression, the one rule: no group of fewer than five can be read or derived."""

from __future__ import annotations

import datetime
import hashlib
import random
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.cache import cache
from django.db.models import Count, Max, Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from inclusion.core.exporters import Table
from inclusion.core.fragments import cached_fragment
from inclusion.core.i18n import localised
from inclusion.core.suppression import is_publishable, shown_total, suppress, suppress_cross
from inclusion.handbook.content import REFERENCE_LANGUAGE

from .bank import RESPONDENT_LANGUAGES, get_question_bank
from .models import Channel, QuestionKind, Response, Survey, SurveyAnswer, SurveyQuestion
from .phrases import SCALE_VALUES
from .questions import PresentedQuestion, present_questions
from .surveys import today

SUMMARY_PERIOD_DAYS = 365
# Area 4's checklist items about asking for and using feedback.
FEEDBACK_ITEMS = ("a4.c9", "a4.c10", "a4.c11", "a4.c13", "a4.c14")


# The "not answered" cell of a question's breakdown: the people who skipped it are a group too.
SKIPPED = ""


@dataclass
class ChoiceCount:
    value: str
    label: str
    count: int | None  # None: hidden by the suppression rule
    percent: int | None


@dataclass
class NumberSummary:
    """A number question's answers, summarised: shown only from MIN_GROUP_SIZE answers."""

    median: Decimal
    low: Decimal
    high: Decimal


@dataclass
class QuestionResult:
    presented: PresentedQuestion
    answered: int | None  # None: hidden ("fewer than 5", or derivable from a hidden cell)
    counts: list[ChoiceCount] = field(default_factory=list)
    mean: float | None = None
    numbers: NumberSummary | None = None


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
    total: int | None  # None: fewer than MIN_GROUP_SIZE responses, nothing else is shown
    by_language: list[GroupCount]
    months: list[MonthRow]
    scale_questions: list[PresentedQuestion]
    questions: list[QuestionResult]
    by_channel: list[GroupCount] = field(default_factory=list)

    @property
    def question_texts(self) -> dict[int, str]:
        """Question ID -> wording in the reader's language, to label written answers."""
        return {result.presented.question.pk: result.presented.text for result in self.questions}


def _mean(counts: dict[str, int]) -> float | None:
    answered = sum(counts.get(value, 0) for value in SCALE_VALUES)
    if not answered:
        return None
    return round(sum(int(value) * counts.get(value, 0) for value in SCALE_VALUES) / answered, 1)


def _per_language_and_channel(survey: Survey) -> tuple[dict[str, int], dict[str, int]]:
    """Responses per language and per channel (web, paper), in one query: each is a breakdown
    of the survey's total."""
    per_language: dict[str, int] = defaultdict(int)
    per_channel: dict[str, int] = defaultdict(int)
    for code, channel, n in (
        Response.objects.filter(survey=survey).values_list("language", "channel").annotate(n=Count("id")).order_by()
    ):
        per_language[code] += n
        per_channel[channel] += n
    return dict(per_language), dict(per_channel)


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
    per_language, per_channel = _per_language_and_channel(survey)
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
        "per_channel": per_channel,
        "per_month": dict(per_month),
        "counts": dict(counts),
        "respondents": respondents,
        "month_counts": dict(month_counts),
    }
    cache.set(key, aggregates, 3600)
    return aggregates


def shown_count(count: int) -> int | None:
    """A survey's number of responses as the rule allows: 0 (no one) or from MIN_GROUP_SIZE on."""
    return 0 if count == 0 else shown_total(count)


def _publishable_mean(counts: dict[str, int]) -> float | None:
    """A scale's average, only where the number of answers behind it may be shown."""
    answered = sum(counts.get(value, 0) for value in SCALE_VALUES)
    return _mean(counts) if is_publishable(answered) else None


def _question_result(item: PresentedQuestion, own: dict[str, int], respondents: dict, total: int) -> QuestionResult:
    """One question's counts through the rule. Its breakdown is the survey's total split into
    the answers and "not answered"; a multiple choice's options are a breakdown of their own."""
    if not is_publishable(total):
        return QuestionResult(item, None, [ChoiceCount(value, label, None, None) for value, label in item.choices])
    if item.kind == QuestionKind.NUMBER:
        return _number_result(item, own, total)
    if item.kind == QuestionKind.DATE:
        return _date_result(item, own, total)
    if item.kind in {QuestionKind.TEXT, QuestionKind.MULTIPLE}:
        raw = own.get("", 0) if item.kind == QuestionKind.TEXT else respondents.get(item.question.pk, 0)
        answered = suppress({"answered": raw, SKIPPED: max(total - raw, 0)})["answered"]
        if item.kind == QuestionKind.TEXT:
            return QuestionResult(item, answered)
        options = suppress({value: own.get(value, 0) for value, _label in item.choices})
        if answered is None:
            options = dict.fromkeys(options)
    else:
        raw = sum(own.get(value, 0) for value, _label in item.choices)
        cells = suppress({**{value: own.get(value, 0) for value, _label in item.choices}, SKIPPED: max(total - raw, 0)})
        answered = raw if cells[SKIPPED] is not None else None
        options = {value: cells[value] for value, _label in item.choices}
    rows = [
        ChoiceCount(
            value,
            label,
            options[value],
            round(100 * options[value] / raw) if options[value] is not None and answered and raw else None,
        )
        for value, label in item.choices
    ]
    # With a cell hidden, the average and the shown cells would give the hidden ones away.
    complete = answered is not None and all(count is not None for count in options.values())
    mean = _mean(own) if item.kind == QuestionKind.SCALE and complete else None
    return QuestionResult(item, answered, rows, mean)


def _answered(raw: int, total: int) -> int | None:
    """The number who answered, where it and the number who did not may both be shown."""
    return suppress({"answered": raw, SKIPPED: max(total - raw, 0)})["answered"]


def _number_result(item: PresentedQuestion, own: dict[str, int], total: int) -> QuestionResult:
    """A number question: how many answered, and from MIN_GROUP_SIZE answers on the median
    and the range; never the single values."""
    values: list[Decimal] = []
    for text, n in own.items():
        try:
            values.extend([Decimal(text)] * n)
        except InvalidOperation:
            continue
    answered = _answered(len(values), total)
    summary = None
    if answered is not None and is_publishable(answered):
        summary = NumberSummary(statistics.median(values), min(values), max(values))
    return QuestionResult(item, answered, numbers=summary)


def _date_result(item: PresentedQuestion, own: dict[str, int], total: int) -> QuestionResult:
    """A date question: the answers per month, through the rule like any breakdown."""
    months: dict[datetime.date, int] = defaultdict(int)
    for text, n in own.items():
        try:
            months[datetime.date.fromisoformat(text).replace(day=1)] += n
        except ValueError:
            continue
    raw = sum(months.values())
    answered = _answered(raw, total)
    cells = suppress(dict(sorted(months.items()))) if answered is not None else dict.fromkeys(sorted(months))
    rows = [
        ChoiceCount(
            month.isoformat()[:7],
            date_format(month, "YEAR_MONTH_FORMAT"),
            count,
            round(100 * count / raw) if count is not None and raw else None,
        )
        for month, count in cells.items()
    ]
    return QuestionResult(item, answered, rows)


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
    raw_total = sum(per_language.values())
    total = shown_count(raw_total)
    scale = [item for item in presented if item.kind == QuestionKind.SCALE]
    results = [_question_result(item, counts.get(item.question.pk, {}), respondents, raw_total) for item in presented]

    codes = [
        code for code in [*survey.languages, *sorted(set(per_language) - set(survey.languages))] if code in per_language
    ]
    shown_languages = suppress({code: per_language[code] for code in codes})
    languages = [GroupCount(RESPONDENT_LANGUAGES.get(code, code), shown_languages[code]) for code in codes]
    shown_months = suppress(dict(sorted(per_month.items())))
    months = [
        MonthRow(
            month,
            n,
            [
                _publishable_mean(month_counts.get((month, item.question.pk), {})) if n is not None else None
                for item in scale
            ],
        )
        for month, n in shown_months.items()
    ]
    per_channel = aggregates.get("per_channel", {})
    shown_channels = suppress({code: per_channel[code] for code in Channel.values if code in per_channel})
    channels = [GroupCount(str(Channel(code).label), count) for code, count in shown_channels.items()]
    return Results(total, languages, months, scale, results, channels)


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


class TooFewResponses(Exception):
    """Rows per response are only handed out once a survey has MIN_GROUP_SIZE responses."""


def results_table(survey: Survey, questions: list[SurveyQuestion], language: str, include_unreviewed: bool) -> Table:
    """One row per response for CSV/XLSX, for editors: only from MIN_GROUP_SIZE responses on,
    in random order with no ID (the order of the rows says nothing about the order of the
    answers), dates to the month, and the language only where every language has at least
    MIN_GROUP_SIZE responses. Written answers only once reviewed, unless the reader may
    review them."""
    per_language, per_channel = _per_language_and_channel(survey)
    if not is_publishable(sum(per_language.values())):
        raise TooFewResponses
    with_language = all(is_publishable(n) for n in per_language.values())
    # Like the language: a response's channel (web, paper) only where every channel's group
    # may be shown, and only once there is more than one.
    with_channel = len(per_channel) > 1 and all(is_publishable(n) for n in per_channel.values())
    channel_labels = {code: str(label) for code, label in Channel.choices}
    presented = present_questions(survey, questions, language)
    labels = {item.question.pk: dict(item.choices) for item in presented}
    columns = {item.question.pk: index for index, item in enumerate(presented)}
    header = [
        _("Month"),
        *([_("Language")] if with_language else []),
        *([_("Channel")] if with_channel else []),
        *(item.text for item in presented),
    ]
    cells: dict[int, list[list[str]]] = {}
    meta: dict[int, tuple[str, str, str]] = {}
    for pk, day, code, channel in Response.objects.filter(survey=survey).values_list(
        "pk", "submitted_on", "language", "channel"
    ):
        cells[pk] = [[] for _item in presented]
        meta[pk] = (day.strftime("%Y-%m"), code, channel_labels.get(channel, channel))
    for response_id, question_id, choice, text, reviewed in (
        SurveyAnswer.objects.filter(question__survey=survey)
        .order_by("pk")
        .values_list("response_id", "question_id", "choice", "text", "reviewed")
        .iterator(chunk_size=5000)
    ):
        if response_id not in cells or question_id not in columns:
            continue
        if choice:
            cells[response_id][columns[question_id]].append(labels[question_id].get(choice, choice))
        elif text and (reviewed or include_unreviewed):
            cells[response_id][columns[question_id]].append(text)
    order = list(cells)
    random.SystemRandom().shuffle(order)
    rows = [
        [
            meta[pk][0],
            *([meta[pk][1]] if with_language else []),
            *([meta[pk][2]] if with_channel else []),
            *("; ".join(cell) for cell in cells[pk]),
        ]
        for pk in order
    ]
    return Table(title=survey.title, header=header, rows=rows)


def summary_table(results: Results, title: str) -> Table:
    """The results page as a table (CSV/XLSX), for every member: the same suppressed counts."""
    hidden = _("fewer than 5")

    def shown(value):
        return hidden if value is None else value

    rows: list[list] = [[_("Responses"), "", shown(results.total), ""]]
    rows += [[_("Language"), group.label, shown(group.count), ""] for group in results.by_language]
    rows += [[_("Channel"), group.label, shown(group.count), ""] for group in results.by_channel]
    rows += [[_("Month"), row.month.strftime("%Y-%m"), shown(row.count), ""] for row in results.months]
    for result in results.questions:
        rows.append([result.presented.text, _("Answered"), shown(result.answered), ""])
        if result.mean is not None:
            rows.append([result.presented.text, _("Average, 1–5"), result.mean, ""])
        if result.numbers is not None:
            rows.append([result.presented.text, _("Median"), float(result.numbers.median), ""])
            rows.append([result.presented.text, _("Lowest"), float(result.numbers.low), ""])
            rows.append([result.presented.text, _("Highest"), float(result.numbers.high), ""])
        for row in result.counts:
            rows.append(
                [result.presented.text, row.label, shown(row.count), "" if row.percent is None else row.percent]
            )
    return Table(title=title, header=[_("Question or group"), _("Answer"), _("People"), "%"], rows=rows)


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
    responses: int | None  # None: fewer than MIN_GROUP_SIZE
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
    queries), through the suppression rule: a question appears only when its number of answers
    may be shown, and only with the cells of its breakdown that may be shown."""
    day = day or today()
    since = day - datetime.timedelta(days=SUMMARY_PERIOD_DAYS)
    recent = list(
        Survey.objects.filter(organisation=organisation, opens_on__lte=day, closes_on__gte=since)
        .annotate(recent=Count("responses", filter=Q(responses__submitted_on__gte=since)))
        .values_list("recent", flat=True)
    )
    responses = sum(recent)
    activity = SurveyActivity(surveys=len(recent), responses=shown_count(responses))
    bank = get_question_bank()
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    if is_publishable(responses):
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
        if bank_question.kind == QuestionKind.SCALE:
            values = list(SCALE_VALUES)
        elif bank_question.kind == QuestionKind.YES_NO:
            values = ["yes", "no"]
        else:
            values = [option.id for option in bank_question.options]
        raw = sum(own.get(value, 0) for value in values)
        if bank_question.kind == QuestionKind.MULTIPLE:
            # How many times an option was chosen; the options are the breakdown.
            cells = suppress({value: own.get(value, 0) for value in values})
            answered = shown_total(raw)
        else:
            # The period's responses split into the answers and "not answered".
            cells = suppress({**{value: own.get(value, 0) for value in values}, SKIPPED: max(responses - raw, 0)})
            answered = raw if cells.pop(SKIPPED) is not None and is_publishable(raw) else None
        if answered is None:
            continue
        complete = all(count is not None for count in cells.values())
        top = []
        if bank_question.kind in {QuestionKind.SINGLE, QuestionKind.MULTIPLE}:
            top = sorted(
                (
                    ChoiceCount(
                        o.id, localised(o.text, language, fallbacks), cells[o.id], round(100 * cells[o.id] / raw)
                    )
                    for o in bank_question.options
                    if cells.get(o.id)
                ),
                key=lambda row: -row.count,
            )[:3]
        by_area[bank_question.area].append(
            AreaQuestionFeedback(
                text=localised(bank_question.text, language, fallbacks),
                kind=bank_question.kind,
                answered=answered,
                mean=_mean(own) if bank_question.kind == QuestionKind.SCALE and complete else None,
                yes_percent=round(100 * own.get("yes", 0) / raw)
                if bank_question.kind == QuestionKind.YES_NO and complete
                else None,
                top_choices=top,
            )
        )
    return OrganisationFeedback(dict(by_area), activity)


# What refugees said changes with every response, but a page that shows twelve months of it
# need not count each one the moment it arrives: read at most this old.
FEEDBACK_CACHE_SECONDS = 60


def recent_organisation_feedback(organisation_id: int, language: str) -> OrganisationFeedback:
    """organisation_feedback as of at most FEEDBACK_CACHE_SECONDS ago, shared by every reader
    in the same language (no query while it is kept)."""
    day = today()
    return cached_fragment(
        f"feedback:organisation:{organisation_id}:{language}:{day.isoformat()}",
        lambda: organisation_feedback(organisation_id, language, day),
        FEEDBACK_CACHE_SECONDS,
    )


# --- the report: answers per language --------------------------------------------------------

# Question kinds whose answers split the respondents: "answer × language" adds up.
PARTITION_KINDS = {QuestionKind.SINGLE, QuestionKind.SCALE, QuestionKind.YES_NO}


@dataclass
class LanguageBreakdown:
    question: PresentedQuestion
    languages: list[str]  # language names, the rows
    columns: list[str]  # the answers' labels, then "not answered"
    rows: list[list[int]]


def language_breakdowns(survey: Survey, results: Results) -> list[LanguageBreakdown]:
    """Each one-answer question's answers per language, shown only where every cell of the
    whole table — every language with responses, every answer and "not answered" — has at
    least MIN_GROUP_SIZE (core.suppression.suppress_cross): then nothing small can be read
    or worked out from it, nor from it together with the other tables. One query."""
    if results.total is None:
        return []
    items = [result.presented for result in results.questions if result.presented.kind in PARTITION_KINDS]
    if not items:
        return []
    per_language = dict(
        Response.objects.filter(survey=survey).values_list("language").annotate(n=Count("id")).order_by()
    )
    counts: dict[tuple[int, str], dict[str, int]] = defaultdict(dict)
    for question_id, language, choice, n in (
        SurveyAnswer.objects.filter(question_id__in=[item.question.pk for item in items])
        .values_list("question_id", "response__language", "choice")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts[(question_id, language)][choice] = n
    codes = [code for code in [*survey.languages, *sorted(set(per_language) - set(survey.languages))]
             if code in per_language]  # fmt: skip
    breakdowns = []
    for item in items:
        table = {}
        for code in codes:
            own = counts.get((item.question.pk, code), {})
            cells = {value: own.get(value, 0) for value, _label in item.choices}
            cells[SKIPPED] = max(per_language[code] - sum(cells.values()), 0)
            table[code] = cells
        # A column that is 0 in every language says only what the overall counts show
        # already (no one chose it); it is left out, every other cell must reach the minimum.
        labels = {**dict(item.choices), SKIPPED: _("not answered")}
        kept = [key for key in labels if any(table[code][key] for code in codes)]
        shown = suppress_cross({code: {key: table[code][key] for key in kept} for code in codes})
        if shown is None or not kept:
            continue
        breakdowns.append(
            LanguageBreakdown(
                item,
                [RESPONDENT_LANGUAGES.get(code, code) for code in codes],
                [labels[key] for key in kept],
                [[shown[code][key] for key in kept] for code in codes],
            )
        )
    return breakdowns
