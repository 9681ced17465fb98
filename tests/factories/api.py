import factory

from inclusion.api.models import TOKEN_PREFIX, AccessToken
from inclusion.core.tokens import hash_token, new_token

from .organisations import OrganisationFactory


class AccessTokenFactory(factory.django.DjangoModelFactory):
    """An API token; pass ``token="itk_…"`` to know the clear value."""

    class Meta:
        model = AccessToken

    class Params:
        token = factory.LazyFunction(lambda: new_token(TOKEN_PREFIX))

    organisation = factory.SubFactory(OrganisationFactory)
    name = "Dashboard"
    token_hash = factory.LazyAttribute(lambda record: hash_token(record.token))
    prefix = factory.LazyAttribute(lambda record: record.token[:10])
