"""Leasing in the admin: leases with their rent schedule and deposit, vendors, maintenance.

Leases are created through ``lease_create`` and edited through ``lease_update`` (which lays
out only the unbilled periods again); activating, renewing, ending and terminating are detail
actions calling their services. Work orders are created through
``maintenance_request_create`` and moved with the "Move to" field, which calls
``maintenance_status_change``.
"""

from realestate.leasing.admin import units  # noqa: F401  (registers)
from realestate.leasing.admin.leases import LeaseAdmin
from realestate.leasing.admin.maintenance import MaintenanceRequestAdmin
from realestate.leasing.admin.vendors import VendorAdmin

__all__ = [
    "LeaseAdmin",
    "MaintenanceRequestAdmin",
    "VendorAdmin",
]
