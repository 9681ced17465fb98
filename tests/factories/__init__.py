"""factory_boy factories, one per model, shared by the whole suite.

Import from the package (``from tests.factories import AssessmentFactory``); the modules
mirror the apps. Factories build the smallest valid row; tests that need a domain rule
applied (a practice sent for review, a survey from the question bank) call the app's
functions instead.
"""

from .api import AccessTokenFactory
from .assessments import ActionFactory, AnswerFactory, AreaNoteFactory, AssessmentFactory, ShareLinkFactory
from .feedback import ResponseFactory, SurveyAnswerFactory, SurveyFactory, SurveyQuestionFactory
from .handbook import HandbookItemFactory
from .networks import NetworkFactory
from .organisations import InvitationFactory, MembershipFactory, OrganisationFactory, member_of, membership_of
from .practices import (
    PracticeFactory,
    PracticeVersionFactory,
    RatingFactory,
    ReviewMessageFactory,
    indicator_scores,
)
from .users import PASSWORD, ModeratorFactory, StaffFactory, UserFactory

__all__ = [
    "PASSWORD",
    "AccessTokenFactory",
    "ActionFactory",
    "AnswerFactory",
    "AreaNoteFactory",
    "AssessmentFactory",
    "HandbookItemFactory",
    "InvitationFactory",
    "MembershipFactory",
    "ModeratorFactory",
    "NetworkFactory",
    "OrganisationFactory",
    "PracticeFactory",
    "PracticeVersionFactory",
    "RatingFactory",
    "ResponseFactory",
    "ReviewMessageFactory",
    "ShareLinkFactory",
    "StaffFactory",
    "SurveyAnswerFactory",
    "SurveyFactory",
    "SurveyQuestionFactory",
    "UserFactory",
    "indicator_scores",
    "member_of",
    "membership_of",
]
