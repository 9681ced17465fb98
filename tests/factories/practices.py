import factory

from inclusion.practices.models import Practice, PracticeVersion, Rating, ReviewMessage, VersionStatus

from .organisations import OrganisationFactory
from .users import UserFactory


def indicator_scores(criteria, value: str) -> dict[str, str]:
    """The same IndicatorScore value for every indicator of the criteria."""
    return {indicator.id: value for criterion in criteria for indicator in criterion.indicators}


def _content(title: str) -> dict:
    return {
        "title": {"en": title},
        "organisation_name": {"en": "Organisation"},
        "city": {"en": "Riga"},
        "text": {"en": "Weekly conversation evenings with neighbours."},
        "countries": ["LV"],
        "success_factor": "a5.sf3",
        "organisation_type": "ngo",
        "target_groups": ["refugees"],
        "links": [],
        "scores": {},
        "evidence": {},
    }


class PracticeFactory(factory.django.DjangoModelFactory):
    """An organisation's practice with a first draft version as its current version."""

    class Meta:
        model = Practice
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)

    @factory.post_generation
    def draft(practice, create, extracted, **kwargs):
        if create and extracted is not False:
            practice.current_version = PracticeVersionFactory(practice=practice, **kwargs)
            practice.save(update_fields=["current_version"])


class PracticeVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PracticeVersion

    class Params:
        title = factory.Sequence(lambda n: f"Practice {n}")

    practice = factory.SubFactory(PracticeFactory, draft=False)
    number = factory.LazyAttribute(lambda version: version.practice.versions.count() + 1)
    status = VersionStatus.DRAFT
    content = factory.LazyAttribute(lambda version: _content(version.title))


class ReviewMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReviewMessage

    version = factory.SubFactory(PracticeVersionFactory)
    practice = factory.SelfAttribute("version.practice")
    action = ReviewMessage.Action.SUBMITTED
    text = ""


class RatingFactory(factory.django.DjangoModelFactory):
    """One member's rating (``is_consensus=True, rater=None`` for the agreed one)."""

    class Meta:
        model = Rating

    practice = factory.SubFactory(PracticeFactory)
    rater = factory.SubFactory(UserFactory)
    updated_by = factory.SelfAttribute("rater")
    scores = factory.LazyFunction(dict)
    evidence = factory.LazyFunction(dict)
