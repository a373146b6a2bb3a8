"""Repayment-due reminders: one village notice a few days before instalments fall due,
naming no household, created once however often the job runs."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from loans.reminders import repayment_reminders_schedule
from loans.tasks import schedule_repayment_reminders
from outreach.models import (
    Delivery,
    DeliveryStatus,
    GroupChannel,
    Notice,
    NoticeSource,
    NoticeStatus,
)
from outreach.services import delivery_send, notice_dispatch_due
from tests.factories import HouseholdFactory, VillageFactory
from tests.factories.loans import disbursed_loan, repayment
from tests.factories.outreach import VillageGroupFactory

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
# Loans disbursed on 10/03/2025 for 36 months fall due every 10 March; the job runs
# three days ahead (LOAN_REMINDER_DAYS_AHEAD), early in the morning.
DISBURSED = date(2025, 3, 10)
RUN_DAY = date(2026, 3, 7)
EARLY = datetime(2026, 3, 7, 6, 0, tzinfo=VN)


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.LOAN_REMINDER_DAYS_AHEAD = 3
    settings.LOAN_REMINDER_SEND_AT = "07:30"


@pytest.fixture
def grouped_village(village):
    VillageGroupFactory(village=village, channel=GroupChannel.CONSOLE, name="Nhóm")
    return village


def _loan_in(village, **kwargs):
    household = HouseholdFactory(village=village, commune=village.commune)
    return disbursed_loan(household=household, disbursed_on=DISBURSED, **kwargs)


def test_a_village_with_instalments_due_gets_one_notice_with_a_count(grouped_village):
    first = _loan_in(grouped_village)
    _loan_in(grouped_village)
    with time_machine.travel(EARLY, tick=False):
        assert repayment_reminders_schedule(today=RUN_DAY) == 1

    notice = Notice.objects.get()
    assert notice.source == NoticeSource.LOAN_REMINDER
    assert notice.status == NoticeStatus.SCHEDULED
    assert list(notice.villages.all()) == [grouped_village]
    assert notice.scheduled_at == datetime(2026, 3, 7, 7, 30, tzinfo=VN)
    assert "10/03/2026" in notice.title
    assert "2 hộ" in notice.body
    assert grouped_village.name in notice.body
    # The village group is no place for who owes what.
    assert first.household.head_name not in notice.body
    assert "50.000.000" not in notice.body and "50000000" not in notice.body


def test_running_again_creates_nothing(grouped_village):
    _loan_in(grouped_village)
    with time_machine.travel(EARLY, tick=False):
        assert repayment_reminders_schedule(today=RUN_DAY) == 1
        assert repayment_reminders_schedule(today=RUN_DAY) == 0
        assert schedule_repayment_reminders.apply().get() == 0
    assert Notice.objects.count() == 1


def test_each_village_gets_its_own_notice(grouped_village, other_village):
    VillageGroupFactory(village=other_village, channel=GroupChannel.CONSOLE)
    _loan_in(grouped_village)
    _loan_in(other_village)
    _loan_in(other_village)
    with time_machine.travel(EARLY, tick=False):
        assert repayment_reminders_schedule(today=RUN_DAY) == 2

    bodies = {n.villages.get(): n.body for n in Notice.objects.all()}
    assert "1 hộ" in bodies[grouped_village]
    assert "2 hộ" in bodies[other_village]


def test_an_instalment_paid_in_advance_is_not_reminded(grouped_village):
    loan = _loan_in(grouped_village)
    # 50,000,000 over three yearly instalments: the first is 16,666,000.
    repayment(loan, paid_on=date(2026, 1, 5), principal=16_666_000)
    with time_machine.travel(EARLY, tick=False):
        assert repayment_reminders_schedule(today=RUN_DAY) == 0


def test_a_part_payment_still_gets_the_reminder(grouped_village):
    loan = _loan_in(grouped_village)
    repayment(loan, paid_on=date(2026, 1, 5), principal=10_000_000)
    with time_machine.travel(EARLY, tick=False):
        assert repayment_reminders_schedule(today=RUN_DAY) == 1


def test_no_instalment_that_day_means_no_notice(grouped_village):
    _loan_in(grouped_village)
    with time_machine.travel(EARLY, tick=False):
        assert repayment_reminders_schedule(today=date(2026, 3, 8)) == 0


def test_a_village_without_a_group_gets_no_notice(village):
    _loan_in(village)
    with time_machine.travel(EARLY, tick=False):
        assert repayment_reminders_schedule(today=RUN_DAY) == 0
    assert not Notice.objects.exists()


def test_a_run_after_the_sending_time_sends_shortly_not_in_the_past(grouped_village):
    _loan_in(grouped_village)
    late = datetime(2026, 3, 7, 14, 0, tzinfo=VN)
    with time_machine.travel(late, tick=False):
        repayment_reminders_schedule(today=RUN_DAY)
    assert Notice.objects.get().scheduled_at == datetime(2026, 3, 7, 14, 5, tzinfo=VN)


def test_a_29_february_loan_falls_due_on_28_february(commune):
    village = VillageFactory(commune=commune)
    VillageGroupFactory(village=village, channel=GroupChannel.CONSOLE)
    household = HouseholdFactory(village=village, commune=commune)
    disbursed_loan(household=household, disbursed_on=date(2024, 2, 29), term_months=36)
    with time_machine.travel(datetime(2025, 2, 25, 6, 0, tzinfo=VN), tick=False):
        assert repayment_reminders_schedule(today=date(2025, 2, 25)) == 1


def test_the_reminder_is_sent_by_the_dispatcher_like_any_notice(grouped_village):
    _loan_in(grouped_village)
    with time_machine.travel(EARLY, tick=False):
        repayment_reminders_schedule(today=RUN_DAY)
    with time_machine.travel(datetime(2026, 3, 7, 7, 31, tzinfo=VN), tick=False):
        assert notice_dispatch_due() == 1
        delivery = Delivery.objects.get()
        assert delivery_send(delivery_id=delivery.pk) == "sent"
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert "có 1 hộ đến kỳ trả nợ" in delivery.text
    assert Notice.objects.get().status == NoticeStatus.DONE
