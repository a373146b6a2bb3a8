"""Training factories. Rows are written directly and consistently (a member's enrolment
carries the member's household and village; a walk-in has neither member nor household),
so selector, view and model tests do not depend on the services; the service tests call
the services.

- ``CourseFactory(commune=..., target_villages=[...], target_groups=["poor"])``
- ``SessionFactory(course=..., village=...)``: scheduled, three days from now, 08:00-11:00
  local time, 30 places; the village defaults to one of the course's commune.
- ``EnrolmentFactory(session=...)``: a new member of a new household of the session's
  village, registered; ``EnrolmentFactory(session=..., member=m)`` enrols ``m``;
  ``EnrolmentFactory(session=..., member=None, full_name="Y Bhim")`` is a walk-in.
"""

from datetime import datetime, time, timedelta

import factory
from django.utils import timezone

from trainings.models import (
    Course,
    CourseKind,
    CourseTarget,
    Enrolment,
    EnrolmentStatus,
    OrganiserKind,
    Session,
    SessionStatus,
    Topic,
)

from . import CommuneFactory, MemberFactory, VillageFactory, fake


def local_datetime(day, hour: int = 8, minute: int = 0) -> datetime:
    """An aware datetime at ``hour:minute`` local time (Asia/Ho_Chi_Minh) on ``day``."""
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def in_days(days: int, hour: int = 8, minute: int = 0) -> datetime:
    """``hour:minute`` local time, ``days`` days from today (negative: in the past)."""
    return local_datetime(timezone.localdate() + timedelta(days=days), hour, minute)


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course
        skip_postgeneration_save = True

    commune = factory.SubFactory(CommuneFactory)
    title = factory.Sequence(lambda n: f"Trồng cà phê bền vững – lớp {n}")
    topic = Topic.COFFEE
    kind = CourseKind.EXTENSION
    organiser_kind = OrganiserKind.EXTENSION_CENTRE
    organiser_name = "Trung tâm Khuyến nông tỉnh Đắk Lắk"
    description = ""
    loan_purpose = ""

    @factory.post_generation
    def target_villages(self, create, extracted, **kwargs):
        if create and extracted:
            self.target_villages.set(extracted)

    @factory.post_generation
    def target_groups(self, create, extracted, **kwargs):
        if create and extracted:
            CourseTarget.objects.bulk_create(
                CourseTarget(course=self, group=g) for g in extracted
            )


class SessionFactory(factory.django.DjangoModelFactory):
    """A scheduled session three days from now, 08:00-11:00 local time."""

    class Meta:
        model = Session

    course = factory.SubFactory(CourseFactory)
    village = factory.SubFactory(
        VillageFactory, commune=factory.SelfAttribute("..course.commune")
    )
    starts_at = factory.LazyFunction(lambda: in_days(3))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=3))
    place = "Nhà văn hóa thôn"
    capacity = 30
    trainer = factory.LazyFunction(fake.name)
    status = SessionStatus.SCHEDULED

    @factory.lazy_attribute
    def cancelled_at(self):
        return timezone.now() if self.status == SessionStatus.CANCELLED else None

    @factory.lazy_attribute
    def cancel_reason(self):
        return "Mưa lớn" if self.status == SessionStatus.CANCELLED else ""


class EnrolmentFactory(factory.django.DjangoModelFactory):
    """A registered member of a new household of the session's village; ``member=None``
    (with a ``full_name``) makes a walk-in."""

    class Meta:
        model = Enrolment

    session = factory.SubFactory(SessionFactory)
    member = factory.SubFactory(
        MemberFactory, household__village=factory.SelfAttribute("...session.village")
    )
    status = EnrolmentStatus.REGISTERED

    @factory.lazy_attribute
    def household(self):
        return self.member.household if self.member else None

    @factory.lazy_attribute
    def full_name(self):
        return self.member.full_name if self.member else fake.name()

    @factory.lazy_attribute
    def village(self):
        return self.member.household.village if self.member else self.session.village

    @factory.lazy_attribute
    def withdrawn_at(self):
        return timezone.now() if self.status == EnrolmentStatus.WITHDRAWN else None
