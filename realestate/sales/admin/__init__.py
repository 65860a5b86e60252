"""Sales in the admin: payment plans, reservations, sale contracts and commissions.

Records are created and moved only through ``realestate.sales.services``: the add forms call
``reservation_create`` / ``contract_create``, and every status change is a detail or bulk
action calling its service. A signed contract is read-only; its instalment schedule (the
finance receivables of the contract) is shown beside it.
"""

from realestate.sales.admin import units  # noqa: F401  (registers)
from realestate.sales.admin.commissions import CommissionAdmin
from realestate.sales.admin.contracts import SaleContractAdmin
from realestate.sales.admin.plans import PaymentPlanAdmin
from realestate.sales.admin.reservations import ReservationAdmin

__all__ = [
    "CommissionAdmin",
    "PaymentPlanAdmin",
    "ReservationAdmin",
    "SaleContractAdmin",
]
