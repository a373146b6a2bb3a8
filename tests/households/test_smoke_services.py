from households.models import EthnicGroup
from households.services import household_create


def test_household_create_makes_head_member(official, village):
    h = household_create(
        actor=official,
        village=village,
        code="HK1",
        head_name="Nguyễn Văn An",
        ethnic_group=EthnicGroup.objects.get(code="01"),
        head_national_id="066085001234",
    )
    head = h.members.get()
    assert head.birth_year == 1985 and head.sex == "male"
    assert "nguyen van an" in h.search_text
