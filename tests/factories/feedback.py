import datetime

import factory
from django.utils import timezone

# After the rename in inclusion/feedback/models.py these become SurveyAnswer and SurveyQuestion.
from inclusion.feedback.models import QuestionKind, Response, Survey, SurveyAnswer, SurveyQuestion

from .organisations import OrganisationFactory


class SurveyFactory(factory.django.DjangoModelFactory):
    """An open survey without questions (``feedback`` services add the bank's)."""

    class Meta:
        model = Survey

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Survey {n}")
    languages = factory.LazyFunction(lambda: ["en"])
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=10))
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=20))


class SurveyQuestionFactory(factory.django.DjangoModelFactory):
    """An organisation's own question (not from the bank)."""

    class Meta:
        model = SurveyQuestion

    survey = factory.SubFactory(SurveyFactory)
    position = factory.Sequence(lambda n: n)
    kind = QuestionKind.TEXT
    text = factory.LazyFunction(lambda: {"en": "What should we change?"})


class ResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Response

    survey = factory.SubFactory(SurveyFactory)
    language = "en"
    submitted_on = factory.LazyFunction(timezone.localdate)


class SurveyAnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SurveyAnswer

    question = factory.SubFactory(SurveyQuestionFactory)
    response = factory.SubFactory(ResponseFactory, survey=factory.SelfAttribute("..question.survey"))
    text = "Friendly staff"
