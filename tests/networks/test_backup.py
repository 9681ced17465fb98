"""An organisation's backup with network memberships and aggregates still exports and imports."""

from inclusion.networks.aggregates import refresh
from inclusion.networks.models import Sharing
from inclusion.organisations.backup import export_organisation, import_organisation


def test_an_organisation_in_a_network_is_backed_up_and_restored(add_member):
    organisation = add_member(Sharing.SUMMARY)
    refresh()
    text = export_organisation(organisation)
    copy = import_organisation(text, as_copy=True)
    assert copy.pk != organisation.pk
