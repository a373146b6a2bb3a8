"""Celery tasks of loans. Thin: each calls one function."""

from celery import shared_task

from outreach.tasks import PERIODIC_SOFT_TIME_LIMIT, PERIODIC_TIME_LIMIT, cron_lock

from .reminders import repayment_reminders_schedule


@shared_task(
    name="loans.tasks.schedule_repayment_reminders",
    time_limit=PERIODIC_TIME_LIMIT,
    soft_time_limit=PERIODIC_SOFT_TIME_LIMIT,
)
def schedule_repayment_reminders() -> int | None:
    """Beat, every hour: the village reminders of instalments due in a few days."""
    with cron_lock("schedule-repayment-reminders") as acquired:
        if not acquired:
            return None
        return repayment_reminders_schedule()
