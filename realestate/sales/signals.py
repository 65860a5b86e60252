"""Sales reacts to money: a contract whose schedule is fully paid is completed."""

from django.dispatch import receiver

from realestate.finance.models import Receivable
from realestate.finance.signals import receivables_settled


@receiver(receivables_settled)
def contracts_complete_when_paid(sender, receivable_ids, **kwargs):
    from realestate.sales.services import contracts_complete_paid

    contract_ids = Receivable.objects.filter(
        pk__in=receivable_ids, contract__isnull=False
    ).values_list("contract_id", flat=True)
    contracts_complete_paid(list(contract_ids))
