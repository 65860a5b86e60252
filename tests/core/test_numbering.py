"""Record numbers: sequential per prefix and year; no two records ever share one."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from realestate.core.models import NumberSequence
from realestate.core.numbering import format_number, number_take, numbers_lock, numbers_take
from realestate.sales.models import SaleContract
from realestate.sales.services import contract_create
from tests.factories import ClientFactory, UnitFactory

YEAR = timezone.localdate().year


def test_format():
    assert format_number("SC", 2026, 17) == "SC-2026-00017"
    assert format_number("INV", 2026, 123456) == "INV-2026-123456"


@pytest.mark.django_db
def test_sequential_per_prefix_and_year():
    assert numbers_take("SC", count=3) == [
        f"SC-{YEAR}-00001",
        f"SC-{YEAR}-00002",
        f"SC-{YEAR}-00003",
    ]
    assert number_take("SC") == f"SC-{YEAR}-00004"
    assert number_take("LS") == f"LS-{YEAR}-00001"
    assert number_take("SC", year=2031) == "SC-2031-00001"
    assert number_take("SC") == f"SC-{YEAR}-00005"
    assert numbers_take("LS", count=0) == []
    assert number_take("LS") == f"LS-{YEAR}-00002"
    assert dict(NumberSequence.objects.filter(year=YEAR).values_list("prefix", "last_value")) == {
        "SC": 5,
        "LS": 2,
    }


@pytest.mark.django_db
def test_a_rolled_back_number_is_given_again_so_no_two_records_share_one():
    """'Never reused' means no two records carry the same number. A number taken in a
    transaction that rolls back was never given to any record: it is handed out again, so
    the sequence has no gaps, and the unique column ensures no two records share it."""
    number_take("SC")

    with pytest.raises(RuntimeError), transaction.atomic():
        assert number_take("SC") == f"SC-{YEAR}-00002"
        raise RuntimeError("the posting failed")

    assert number_take("SC") == f"SC-{YEAR}-00002"


@pytest.mark.django_db
def test_records_get_distinct_gapless_numbers_around_a_failure():
    first = contract_create(unit=UnitFactory(), buyer=ClientFactory(), price=Decimal("100"))
    taken = UnitFactory()
    contract_create(unit=taken, buyer=ClientFactory(), price=Decimal("100"))
    with pytest.raises(ValidationError):  # a second live contract: rolled back
        contract_create(unit=taken, buyer=ClientFactory(), price=Decimal("100"))
    last = contract_create(unit=UnitFactory(), buyer=ClientFactory(), price=Decimal("100"))

    numbers = list(SaleContract.objects.order_by("pk").values_list("number", flat=True))
    assert numbers == [f"SC-{YEAR}-00001", f"SC-{YEAR}-00002", f"SC-{YEAR}-00003"]
    assert (first.number, last.number) == (numbers[0], numbers[-1])
    assert len(set(numbers)) == len(numbers)


@pytest.mark.django_db(transaction=True)
def test_taking_a_number_outside_a_transaction_raises():
    with pytest.raises(RuntimeError, match="inside a transaction"):
        numbers_take("SC")
    with pytest.raises(RuntimeError, match="inside a transaction"):
        numbers_lock("SC")
    assert not NumberSequence.objects.exists()

    with transaction.atomic():
        assert number_take("SC") == f"SC-{YEAR}-00001"
