"""Notice factories. Rows are written directly and consistently (a scheduled notice has
its time and approver), so selector and model tests do not depend on the services; the
service tests call the services."""

from datetime import timedelta

import factory
from django.utils import timezone

from households.models import Village
from outreach.channels import Message, Sent
from outreach.models import (
    Audience,
    Delivery,
    GroupChannel,
    Notice,
    NoticeStatus,
    VillageGroup,
)

from . import CommuneFactory, UserFactory, VillageFactory, fake


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
