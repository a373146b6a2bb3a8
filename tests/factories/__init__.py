"""factory_boy factories with Vietnamese fakes."""

import factory
from faker import Faker

from eakutur.accounts.models import Role, User
from households.models import Commune, EthnicGroup, Household, Member, Relation, Village

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
