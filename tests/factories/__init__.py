"""factory_boy factories with Vietnamese fakes."""

import factory
from faker import Faker

from eakutur.accounts.models import Role, User
from households.models import (
    Commune,
    EthnicGroup,
    Household,
    Member,
    PovertyReview,
    PovertyStandard,
    Relation,
    Village,
)

fake = Faker(locale="vi_VN")


def kinh() -> EthnicGroup:
    return EthnicGroup.objects.get(code="01")


def ede() -> EthnicGroup:
    return EthnicGroup.objects.get(code="12")


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commune
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"C{n:04d}")
    name = factory.Sequence(lambda n: f"Xã Thử {n}")
    province = "Đắk Lắk"


class VillageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Village

    commune = factory.SubFactory(CommuneFactory)
    code = factory.Sequence(lambda n: f"T{n:03d}")
    name = factory.Sequence(lambda n: f"Thôn {n}")
    sort_order = factory.Sequence(lambda n: n)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.LazyFunction(fake.first_name)
    last_name = factory.LazyFunction(fake.last_name)
    role = Role.COMMUNE_OFFICIAL
    commune = factory.SubFactory(CommuneFactory)
    password = factory.PostGenerationMethodCall("set_password", "mat-khau-thu-nghiem")

    @factory.post_generation
    def villages(self, create, extracted, **kwargs):
        if create and extracted:
            self.villages.set(extracted)
        if create:
            self.save()


class HouseholdFactory(factory.django.DjangoModelFactory):
    """A household row with its head member, written directly (tests of services use the
    services themselves)."""

    class Meta:
        model = Household
        skip_postgeneration_save = True

    village = factory.SubFactory(VillageFactory)
    commune = factory.SelfAttribute("village.commune")
    code = factory.Sequence(lambda n: f"HK{n:05d}")
    head_name = factory.LazyFunction(fake.name)
    ethnic_group = factory.LazyFunction(kinh)
    phone = ""

    @factory.post_generation
    def head(self, create, extracted, **kwargs):
        if create:
            Member.objects.create(
                household=self,
                full_name=self.head_name,
                sex="male",
                birth_year=1975,
                relation=Relation.HEAD,
                ethnic_group=self.ethnic_group,
                national_id=self.head_national_id,
            )


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    household = factory.SubFactory(HouseholdFactory)
    full_name = factory.LazyFunction(fake.name)
    sex = "female"
    birth_year = 2005
    relation = Relation.CHILD
    ethnic_group = factory.LazyFunction(kinh)


def indicators(*codes: str) -> list:
    """Deprivation indicators by code, in the order given."""
    from households.models import DeprivationIndicator

    by_code = {d.code: d for d in DeprivationIndicator.objects.filter(code__in=codes)}
    return [by_code[c] for c in codes]


class PovertyReviewFactory(factory.django.DjangoModelFactory):
    """A review row written directly (status as given, not proposed by the portal)."""

    class Meta:
        model = PovertyReview
        skip_postgeneration_save = True

    household = factory.SubFactory(HouseholdFactory)
    year = 2025
    standard = factory.LazyAttribute(
        lambda o: PovertyStandard.objects.get(
            first_year__lte=o.year, last_year__gte=o.year
        )
    )
    income_per_person = 1_200_000
    status = "poor"
    proposed_status = factory.SelfAttribute("status")
    proposal_reason = "thu nhập 1,2 triệu ≤ 1,5 triệu và 3 chỉ số thiếu hụt"

    @factory.post_generation
    def deprivations(self, create, extracted, **kwargs):
        if create and extracted:
            self.deprivations.set(extracted)
