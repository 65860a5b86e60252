"""The lead pipeline and viewings: every status change goes through the CRM services."""

import pytest
from django.core.exceptions import ValidationError

from realestate.clients.choices import LeadStatus, LostReason, ViewingStatus
from realestate.clients.models import Lead
from realestate.clients.services import lead_status_change, viewing_status_change
from realestate.core.signals import status_changed
from tests.factories import LeadFactory, ViewingFactory

pytestmark = pytest.mark.django_db


def reloaded(obj):
    obj.refresh_from_db()
    return obj


@pytest.fixture
def signals_sent():
    sent = []

    def listen(sender, **kwargs):
        sent.append((sender.__name__, kwargs["source"], kwargs["target"]))

    status_changed.connect(listen, weak=False)
    yield sent
    status_changed.disconnect(listen)


class TestLeadStatusChange:
    def test_new_to_contacted(self, signals_sent):
        lead = LeadFactory()

        lead_status_change(lead=lead, status=LeadStatus.CONTACTED)

        assert lead.status == LeadStatus.CONTACTED
        assert reloaded(lead).status == LeadStatus.CONTACTED
        assert signals_sent == [("Lead", LeadStatus.NEW, LeadStatus.CONTACTED)]

    def test_new_to_won_is_refused(self, signals_sent):
        lead = LeadFactory()

        with pytest.raises(ValidationError) as caught:
            lead_status_change(lead=lead, status=LeadStatus.WON)

        assert caught.value.code == "invalid_transition"
        assert reloaded(lead).status == LeadStatus.NEW
        assert signals_sent == []

    def test_won_is_final(self):
        lead = LeadFactory(status=LeadStatus.WON)

        for target in LeadStatus.values:
            if target == LeadStatus.WON:
                continue
            with pytest.raises(ValidationError):
                lead_status_change(lead=lead, status=target, lost_reason=LostReason.PRICE)
        assert reloaded(lead).status == LeadStatus.WON

    def test_lost_without_reason_is_refused(self):
        lead = LeadFactory(status=LeadStatus.CONTACTED)

        with pytest.raises(ValidationError) as caught:
            lead_status_change(lead=lead, status=LeadStatus.LOST)

        assert "lost_reason" in caught.value.message_dict
        assert reloaded(lead).status == LeadStatus.CONTACTED

    def test_lost_with_unknown_reason_is_refused(self):
        lead = LeadFactory()

        with pytest.raises(ValidationError):
            lead_status_change(lead=lead, status=LeadStatus.LOST, lost_reason="bad vibes")

        assert reloaded(lead).status == LeadStatus.NEW

    def test_lost_with_reason_stores_it(self):
        lead = LeadFactory(status=LeadStatus.QUALIFIED)

        lead_status_change(lead=lead, status=LeadStatus.LOST, lost_reason=LostReason.FINANCING)

        lead = reloaded(lead)
        assert lead.status == LeadStatus.LOST
        assert lead.lost_reason == LostReason.FINANCING

    def test_reopening_a_lost_lead_clears_the_reason(self):
        lead = LeadFactory()
        lead_status_change(lead=lead, status=LeadStatus.LOST, lost_reason=LostReason.PRICE)

        lead_status_change(lead=lead, status=LeadStatus.CONTACTED)

        lead = reloaded(lead)
        assert lead.status == LeadStatus.CONTACTED
        assert lead.lost_reason == ""

    def test_lost_lead_cannot_jump_to_negotiation(self):
        lead = LeadFactory(status=LeadStatus.LOST, lost_reason=LostReason.PRICE)

        with pytest.raises(ValidationError):
            lead_status_change(lead=lead, status=LeadStatus.NEGOTIATION)

        assert reloaded(lead).lost_reason == LostReason.PRICE

    def test_whole_pipeline_to_won(self):
        lead = LeadFactory()

        for status in (
            LeadStatus.CONTACTED,
            LeadStatus.QUALIFIED,
            LeadStatus.VIEWING,
            LeadStatus.NEGOTIATION,
            LeadStatus.WON,
        ):
            lead_status_change(lead=lead, status=status)

        assert reloaded(lead).status == LeadStatus.WON

    def test_change_is_recorded_in_history_with_the_user(self, superuser):
        lead = LeadFactory()

        lead_status_change(lead=lead, status=LeadStatus.CONTACTED, by=superuser)

        latest = lead.history.latest()
        assert latest.status == LeadStatus.CONTACTED
        assert latest.history_user == superuser

    def test_decision_uses_the_stored_status_not_a_stale_copy(self):
        lead = LeadFactory()
        stale = Lead.objects.get(pk=lead.pk)
        lead_status_change(lead=lead, status=LeadStatus.CONTACTED)
        lead_status_change(lead=lead, status=LeadStatus.QUALIFIED)

        # The stale copy still says "new", but the row says "qualified": new -> contacted
        # would be allowed from the copy, qualified -> contacted is not.
        with pytest.raises(ValidationError):
            lead_status_change(lead=stale, status=LeadStatus.CONTACTED)
        assert reloaded(lead).status == LeadStatus.QUALIFIED


class TestViewingStatusChange:
    def test_scheduled_to_done_records_feedback(self, signals_sent):
        viewing = ViewingFactory()

        viewing_status_change(viewing=viewing, status=ViewingStatus.DONE, feedback="Loved it")

        viewing = reloaded(viewing)
        assert viewing.status == ViewingStatus.DONE
        assert viewing.feedback == "Loved it"
        assert signals_sent == [("Viewing", ViewingStatus.SCHEDULED, ViewingStatus.DONE)]

    def test_done_moves_a_qualified_lead_to_viewing(self):
        lead = LeadFactory(status=LeadStatus.QUALIFIED)
        viewing = ViewingFactory(client=lead.client, lead=lead)

        viewing_status_change(viewing=viewing, status=ViewingStatus.DONE)

        assert reloaded(lead).status == LeadStatus.VIEWING

    def test_done_leaves_a_lead_in_negotiation_alone(self):
        lead = LeadFactory(status=LeadStatus.NEGOTIATION)
        viewing = ViewingFactory(client=lead.client, lead=lead)

        viewing_status_change(viewing=viewing, status=ViewingStatus.DONE)

        assert reloaded(lead).status == LeadStatus.NEGOTIATION

    def test_no_show_does_not_move_the_lead(self):
        lead = LeadFactory(status=LeadStatus.QUALIFIED)
        viewing = ViewingFactory(client=lead.client, lead=lead)

        viewing_status_change(viewing=viewing, status=ViewingStatus.NO_SHOW)

        assert reloaded(viewing).status == ViewingStatus.NO_SHOW
        assert reloaded(lead).status == LeadStatus.QUALIFIED

    def test_done_to_cancelled_is_refused(self):
        viewing = ViewingFactory()
        viewing_status_change(viewing=viewing, status=ViewingStatus.DONE)

        with pytest.raises(ValidationError) as caught:
            viewing_status_change(viewing=viewing, status=ViewingStatus.CANCELLED)

        assert caught.value.code == "invalid_transition"
        assert reloaded(viewing).status == ViewingStatus.DONE


class TestLeadAdminMoveTo:
    """The change form's 'Move to' field moves the lead through the same service."""

    @staticmethod
    def url(lead):
        return f"/admin/clients/lead/{lead.pk}/change/"

    @staticmethod
    def form_data(lead, **extra):
        data = {
            "client": lead.client_id,
            "agent": "",
            "source": "",
            "next_follow_up": "",
            "unit": "",
            "project": "",
            "unit_type": lead.unit_type,
            "bedrooms": lead.bedrooms if lead.bedrooms is not None else "",
            "budget_min": "",
            "budget_max": "",
            "notes": lead.notes,
            "move_to": "",
            "lost_reason_choice": "",
            "_save": "Save",
        }
        data.update(extra)
        return data

    def test_form_offers_only_the_next_stages(self, admin_client):
        lead = LeadFactory()

        response = admin_client.get(self.url(lead))

        assert response.status_code == 200
        choices = [
            value for value, _label in response.context["adminform"].form.fields["move_to"].choices
        ]
        assert choices == ["", LeadStatus.CONTACTED, LeadStatus.LOST]

    def test_move_to_contacted(self, admin_client, superuser):
        lead = LeadFactory()

        response = admin_client.post(self.url(lead), self.form_data(lead, move_to="contacted"))

        assert response.status_code == 302, response.context["adminform"].form.errors
        lead = reloaded(lead)
        assert lead.status == LeadStatus.CONTACTED
        assert lead.history.latest().history_user == superuser

    def test_saving_without_move_keeps_the_status_and_saves_fields(self, admin_client):
        lead = LeadFactory()

        response = admin_client.post(self.url(lead), self.form_data(lead, notes="Call Sunday"))

        assert response.status_code == 302
        lead = reloaded(lead)
        assert lead.status == LeadStatus.NEW
        assert lead.notes == "Call Sunday"

    def test_move_to_a_stage_not_next_is_a_form_error(self, admin_client):
        lead = LeadFactory()

        response = admin_client.post(self.url(lead), self.form_data(lead, move_to="won"))

        assert response.status_code == 200
        assert "move_to" in response.context["adminform"].form.errors
        assert reloaded(lead).status == LeadStatus.NEW

    def test_move_to_lost_needs_a_reason(self, admin_client):
        lead = LeadFactory()

        response = admin_client.post(self.url(lead), self.form_data(lead, move_to="lost"))

        assert response.status_code == 200
        assert "lost_reason_choice" in response.context["adminform"].form.errors
        assert reloaded(lead).status == LeadStatus.NEW

    def test_move_to_lost_with_reason(self, admin_client):
        lead = LeadFactory()

        response = admin_client.post(
            self.url(lead),
            self.form_data(lead, move_to="lost", lost_reason_choice=LostReason.NO_RESPONSE),
        )

        assert response.status_code == 302
        lead = reloaded(lead)
        assert (lead.status, lead.lost_reason) == (LeadStatus.LOST, LostReason.NO_RESPONSE)
