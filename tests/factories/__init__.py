"""Factories for every domain record, a module per app; tests build their data with these
(``from tests.factories import UnitFactory``)."""

from tests.factories.accounts import (
    AgentFactory,
    BranchFactory,
    GroupFactory,
    SuperUserFactory,
    UserFactory,
)
from tests.factories.base import DUBAI
from tests.factories.clients import (
    ClientFactory,
    LeadFactory,
    ViewingFactory,
)
from tests.factories.core import (
    ExportJobFactory,
    FailureFactory,
    ImportJobFactory,
    LogEntryFactory,
    OrmQFactory,
    ScheduleFactory,
    SuccessFactory,
)
from tests.factories.documents import (
    BranchLetterheadFactory,
    CompanyProfileFactory,
    DocumentFactory,
    DocumentTemplateFactory,
    DocumentVersionFactory,
)
from tests.factories.finance import (
    AllocationFactory,
    ExpenseFactory,
    LateFeePolicyFactory,
    OnlinePaymentEventFactory,
    OwnerStatementFactory,
    PaymentFactory,
    PaymentReversalFactory,
    ReceivableFactory,
)
from tests.factories.generation import GenerationBatchFactory
from tests.factories.leasing import (
    DepositTransactionFactory,
    LeaseFactory,
    MaintenanceRequestFactory,
    RentChargeFactory,
    VendorFactory,
)
from tests.factories.notifications import (
    DeliveryFactory,
    DeviceFactory,
    KindSettingFactory,
    MessageTemplateFactory,
    NotificationFactory,
)
from tests.factories.properties import (
    AmenityFactory,
    BuildingFactory,
    InventorySnapshotFactory,
    ProjectFactory,
    UnitFactory,
)
from tests.factories.sales import (
    CommissionFactory,
    PaymentPlanFactory,
    ReservationFactory,
    SaleContractFactory,
)

__all__ = [
    "DUBAI",
    "AgentFactory",
    "AllocationFactory",
    "DocumentFactory",
    "DocumentVersionFactory",
    "BranchLetterheadFactory",
    "CompanyProfileFactory",
    "DocumentTemplateFactory",
    "AmenityFactory",
    "BranchFactory",
    "BuildingFactory",
    "ClientFactory",
    "CommissionFactory",
    "DepositTransactionFactory",
    "ExpenseFactory",
    "DeliveryFactory",
    "DeviceFactory",
    "KindSettingFactory",
    "MessageTemplateFactory",
    "NotificationFactory",
    "FailureFactory",
    "GenerationBatchFactory",
    "ExportJobFactory",
    "ImportJobFactory",
    "GroupFactory",
    "InventorySnapshotFactory",
    "LateFeePolicyFactory",
    "LeadFactory",
    "LeaseFactory",
    "LogEntryFactory",
    "MaintenanceRequestFactory",
    "OrmQFactory",
    "OnlinePaymentEventFactory",
    "OwnerStatementFactory",
    "PaymentFactory",
    "PaymentPlanFactory",
    "PaymentReversalFactory",
    "ProjectFactory",
    "ReceivableFactory",
    "RentChargeFactory",
    "ReservationFactory",
    "SaleContractFactory",
    "ScheduleFactory",
    "SuccessFactory",
    "SuperUserFactory",
    "UnitFactory",
    "UserFactory",
    "VendorFactory",
    "ViewingFactory",
]
