import factory

from inclusion.assessments.models import Action, Answer, AnswerValue, AreaNote, Assessment, ShareLink
from inclusion.core.tokens import hash_token, new_token

from .handbook import HandbookItemFactory
from .organisations import OrganisationFactory


class AssessmentFactory(factory.django.DjangoModelFactory):
    """A first round belonging to an organisation (the kind of organisation follows it)."""

    class Meta:
        model = Assessment

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Self-assessment {n}")
    organisation_kind = factory.LazyAttribute(lambda assessment: assessment.organisation.kind)
    content_version = "test"


class AnswerFactory(factory.django.DjangoModelFactory):
    """An answer to a checklist item (``item__key="a2.c3"`` picks another item)."""

    class Meta:
        model = Answer

    assessment = factory.SubFactory(AssessmentFactory)
    item = factory.SubFactory(HandbookItemFactory)
    value = AnswerValue.YES


class AreaNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AreaNote

    assessment = factory.SubFactory(AssessmentFactory)
    area = "a1"
    text = "<p>A note</p>"
    version = 1


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    assessment = factory.SubFactory(AssessmentFactory)
    area = "a1"
    description = factory.Sequence(lambda n: f"Action {n}")


class ShareLinkFactory(factory.django.DjangoModelFactory):
    """A read-only link to a summary; pass ``token="…"`` to know the link's secret."""

    class Meta:
        model = ShareLink

    class Params:
        token = factory.LazyFunction(new_token)

    assessment = factory.SubFactory(AssessmentFactory)
    token_hash = factory.LazyAttribute(lambda link: hash_token(link.token))
    label = "Partners"
