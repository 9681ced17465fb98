import factory

from inclusion.networks.models import Network


class NetworkFactory(factory.django.DjangoModelFactory):
    """A private network without coordinators or members (add them with the models)."""

    class Meta:
        model = Network

    name = factory.Sequence(lambda n: f"Network {n}")
    slug = factory.Sequence(lambda n: f"network-{n}")
    country = "LV"
