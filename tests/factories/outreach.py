"""Notice factories. Rows are written directly and consistently (a scheduled notice has
its time and approver), so selector and model tests do not depend on the services; the
service tests call the services."""

from datetime import date, timedelta

import factory
from django.utils import timezone

from households.models import Village
from outreach.channels import Message, Sent
from outreach.models import (
    AssistedApplication,
    Audience,
    Contact,
    ContactChannel,
    ContactOutcome,
    ContactTopic,
    Delivery,
    DigitalTeam,
    GroupChannel,
    Notice,
    NoticeStatus,
    PublicService,
    TeamMember,
    TeamRole,
    VillageGroup,
)

from . import CommuneFactory, HouseholdFactory, UserFactory, VillageFactory, fake


class VillageGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VillageGroup

    village = factory.SubFactory(VillageFactory)
    channel = GroupChannel.ZALO
    external_id = factory.Sequence(lambda n: f"group-{n}")
    name = factory.LazyAttribute(lambda o: f"Nhóm Zalo {o.village.name}")
    is_active = True


class NoticeFactory(factory.django.DjangoModelFactory):
    """A scheduled notice to all villages, due a minute ago."""

    class Meta:
        model = Notice
        skip_postgeneration_save = True

    commune = factory.SubFactory(CommuneFactory)
    title = factory.Sequence(lambda n: f"Thông báo số {n}")
    body = factory.LazyFunction(lambda: fake.paragraph(nb_sentences=2))
    audience = Audience.ALL_VILLAGES
    status = NoticeStatus.SCHEDULED
    scheduled_at = factory.LazyFunction(lambda: timezone.now() - timedelta(minutes=1))
    author = factory.SubFactory(UserFactory, commune=factory.SelfAttribute("..commune"))
    approved_by = factory.SelfAttribute("author")
    approved_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def villages(self, create, extracted, **kwargs):
        if create and extracted:
            self.villages.set(extracted)

    @factory.post_generation
    def second_language_villages(self, create, extracted, **kwargs):
        if create and extracted:
            self.second_language_villages.set(extracted)


class DeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delivery

    notice = factory.SubFactory(NoticeFactory)
    group = factory.SubFactory(
        VillageGroupFactory,
        village__commune=factory.SelfAttribute("...notice.commune"),
    )
    text = factory.LazyAttribute(lambda o: f"{o.notice.title}\n\n{o.notice.body}")


def groups_for(
    villages: list[Village], channel: str = GroupChannel.ZALO
) -> list[VillageGroup]:
    """One active group per village on ``channel``."""
    return [
        VillageGroupFactory(
            village=v,
            channel=channel,
            external_id="" if channel == GroupChannel.RELAY else f"group-{v.code}",
        )
        for v in villages
    ]


def villages_of(commune, count: int, *, ethnic_minority: int = 0) -> list[Village]:
    """``count`` villages of ``commune``; the first ``ethnic_minority`` are buôn."""
    return [
        VillageFactory(
            commune=commune,
            code=f"V{n:02d}",
            name=f"Thôn {n}" if n >= ethnic_minority else f"Buôn {n}",
            kind="thon" if n >= ethnic_minority else "buon",
            is_ethnic_minority=n < ethnic_minority,
        )
        for n in range(count)
    ]


class FakeChannel:
    """Answers each send with the next scripted outcome (a Sent or an exception to
    raise), then with success; records every message it was given."""

    name = "fake"

    def __init__(self) -> None:
        self.outcomes: list = []
        self.messages: list[Message] = []

    def script(self, *outcomes) -> None:
        self.outcomes.extend(outcomes)

    def send(self, message: Message) -> Sent:
        self.messages.append(message)
        outcome = self.outcomes.pop(0) if self.outcomes else None
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome or Sent(provider_id=f"fake-{message.key}")

    def calls_for(self, delivery) -> int:
        return sum(1 for m in self.messages if m.key == str(delivery.pk))


class WorkerKilled(BaseException):
    """Stands for SIGKILL during the provider call: nothing after it runs."""


# --- Digital teams and assisted applications ---------------------------------------------


class DigitalTeamFactory(factory.django.DjangoModelFactory):
    """A village's team; asking again for the same village gives the same team."""

    class Meta:
        model = DigitalTeam
        django_get_or_create = ("village",)

    village = factory.SubFactory(VillageFactory)
    established_on = date(2023, 3, 15)
    decision_number = factory.Sequence(lambda n: f"{100 + n}/QĐ-UBND")


class TeamMemberFactory(factory.django.DjangoModelFactory):
    """An active ordinary member with a phone number of their own."""

    class Meta:
        model = TeamMember

    team = factory.SubFactory(DigitalTeamFactory)
    full_name = factory.LazyFunction(fake.name)
    phone = factory.Sequence(lambda n: f"09{n:08d}")
    role = TeamRole.MEMBER
    is_youth_union = False
    joined_on = date(2023, 3, 15)


class AssistedApplicationFactory(factory.django.DjangoModelFactory):
    """A filed application of a household, helped by a member of its village's team."""

    class Meta:
        model = AssistedApplication

    household = factory.SubFactory(HouseholdFactory)
    service = PublicService.HEALTH_INSURANCE
    filed_on = date(2025, 6, 2)
    reference_number = factory.Sequence(lambda n: f"G22.99-250602-{n:04d}")
    helped_by = factory.SubFactory(
        TeamMemberFactory, team__village=factory.SelfAttribute("...household.village")
    )
    recorded_by = factory.SubFactory(
        UserFactory, commune=factory.SelfAttribute("..household.commune")
    )


# --- Contacts -----------------------------------------------------------------------------


class ContactFactory(factory.django.DjangoModelFactory):
    """A door-to-door visit that reached a household, yesterday, about loans; pass
    ``topics=[...]`` for others. Village-wide: ``household=None, village=v``."""

    class Meta:
        model = Contact
        skip_postgeneration_save = True

    household = factory.SubFactory(HouseholdFactory)
    village = factory.LazyAttribute(lambda o: o.household.village)
    commune = factory.LazyAttribute(lambda o: o.village.commune)
    channel = ContactChannel.DOOR_TO_DOOR
    contacted_on = factory.LazyFunction(
        lambda: timezone.localdate() - timedelta(days=1)
    )
    outcome = ContactOutcome.INFORMED
    made_by = factory.SubFactory(
        UserFactory, commune=factory.SelfAttribute("..commune")
    )

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create:
            for topic in extracted or ["loans"]:
                ContactTopic.objects.create(contact=self, topic=topic)
