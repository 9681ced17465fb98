"""The notifications page, the unread count in the header, the settings page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from inclusion.notifications.delivery import deliver
from inclusion.notifications.due import record_due
from inclusion.notifications.models import EmailStatus, Kind, Notification, Preference
from tests.factories import ActionFactory, AssessmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def overdue(org_a, owner_a):
    action = ActionFactory(
        assessment=AssessmentFactory(organisation=org_a),
        description="Hire an interpreter",
        due_date=timezone.localdate() - datetime.timedelta(days=3),
    )
    record_due()
    return action


def test_list_shows_own_notifications_with_link_and_unread_count(overdue, owner_a_client, owner_a):
    page = owner_a_client.get(reverse("notifications:list"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Hire an interpreter" in text
    assert 'hx-get="/en/notifications/unread/"' in text or "/notifications/unread/" in text  # the header asks
    badge = owner_a_client.get(reverse("notifications:unread")).content.decode()
    assert '<span class="badge">1 ' in badge
    notification = Notification.objects.get(recipient=owner_a)
    opened = owner_a_client.get(reverse("notifications:open", args=[notification.pk]))
    assert opened.status_code == 302
    assert opened["Location"] == reverse("assessments:action_edit", args=[overdue.assessment.public_id, overdue.pk])
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert "badge" not in owner_a_client.get(reverse("notifications:unread")).content.decode()


def test_someone_elses_notification_is_404(overdue, owner_a, viewer_a_client):
    notification = Notification.objects.get(recipient=owner_a)
    assert viewer_a_client.get(reverse("notifications:open", args=[notification.pk])).status_code == 404
    assert "Hire an interpreter" not in viewer_a_client.get(reverse("notifications:list")).content.decode()


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 302
    assert "login" in response["Location"]
    assert client.get(reverse("notifications:unread")).status_code == 204


def test_mark_all_read(overdue, owner_a_client, owner_a):
    assert owner_a_client.post(reverse("notifications:read_all")).status_code == 302
    assert not Notification.objects.filter(recipient=owner_a, read_at__isnull=True).exists()


def test_list_and_count_queries_do_not_grow(overdue, owner_a_client, django_assert_max_num_queries, org_a):
    with django_assert_max_num_queries(4):  # session, user, the count
        owner_a_client.get(reverse("notifications:unread"))
    with django_assert_max_num_queries(12) as first:
        owner_a_client.get(reverse("notifications:list"))
    for _ in range(20):
        ActionFactory(
            assessment=AssessmentFactory(organisation=org_a), due_date=timezone.localdate() - datetime.timedelta(days=1)
        )
    record_due()
    with django_assert_max_num_queries(len(first.captured_queries)):
        owner_a_client.get(reverse("notifications:list"))


def test_preferences_save_and_apply_to_waiting_mail(overdue, owner_a_client, owner_a):
    data = {"language": "en"}
    for kind in Kind.values:
        data[f"{kind}_email"] = "on"
        data[f"{kind}_frequency"] = "immediate"
    del data[f"{Kind.ACTION_OVERDUE}_email"]
    response = owner_a_client.post(reverse("notifications:preferences"), data)
    assert response.status_code == 302
    preference = Preference.objects.get(user=owner_a)
    assert preference.language == "en"
    assert preference.kinds[Kind.ACTION_OVERDUE] == {"email": False, "frequency": "immediate"}
    assert Notification.objects.get(recipient=owner_a).email_status == EmailStatus.OFF
    assert deliver() == (0, 0)
    page = owner_a_client.get(reverse("notifications:preferences"))
    assert page.status_code == 200


def test_preferences_bad_input_keeps_what_was_typed(owner_a_client):
    data = {"language": "xx", f"{Kind.ACTION_DUE}_email": "on", f"{Kind.ACTION_DUE}_frequency": "hourly"}
    response = owner_a_client.post(reverse("notifications:preferences"), data)
    assert response.status_code == 400
    assert response.context["form"].errors
    assert response.context["form"][f"{Kind.ACTION_DUE}_email"].value() is True
