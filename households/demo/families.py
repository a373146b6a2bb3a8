"""Demo families: who lives in a household, their names, schooling and insurance."""

from random import Random

from .people import family_name, person_name, pick
from .places import Profile

AGE_YEAR = 2025  # ages, schooling and insurance are as of the 2025 review
_MATRILINEAL = {"12", "20"}  # Ê Đê and M'nông children take their mother's clan

MEMBER_KEYS = ("full_name", "sex", "birth_year", "relation", "ethnic", "national_id",
               "is_student", "has_disability", "has_health_insurance")  # fmt: skip


def household_people(rng: Random, profile: Profile) -> list[dict]:
    """The members of one household, head first: relation, sex, age, birth year, ethnic
    group code and full name."""
    ethnic = pick(rng, profile.ethnic)
    male_share = 0.55 if ethnic in _MATRILINEAL else 0.75
    head_sex = "male" if rng.random() < male_share else "female"
    head_age = int(rng.triangular(22, 86, 44))
    people = _family(rng, pick(rng, profile.sizes), head_sex, head_age)
    _name_people(rng, people, ethnic, profile)
    return people


def _family(rng: Random, size: int, head_sex: str, head_age: int) -> list[dict]:
    """Relation, sex and age of each member: head, spouse, parents, children, or three
    generations when the head is older."""
    other = "female" if head_sex == "male" else "male"
    people = [{"relation": "head", "sex": head_sex, "age": head_age}]
    mother_age = head_age
    if size > 1 and rng.random() < (0.6 if head_age >= 70 else 0.9):
        gap = rng.randint(-2, 6)
        age = max(18, head_age - gap if head_sex == "male" else head_age + gap)
        people.append({"relation": "spouse", "sex": other, "age": age})
        mother_age = age if head_sex == "male" else head_age
    if head_age < 45:
        for _ in range(2):
            if len(people) < size and rng.random() < 0.22:
                sex = "female" if rng.random() < 0.65 else "male"
                age = min(95, head_age + rng.randint(22, 34))
                people.append({"relation": "parent", "sex": sex, "age": age})
    if head_age >= 55 and size - len(people) >= 3 and rng.random() < 0.5:
        age = max(18, mother_age - rng.randint(22, 32))
        sex = rng.choice(("male", "female"))
        people.append(
            {"relation": "child", "sex": sex, "age": age, "has_children": True}
        )
        in_law_age = max(18, age + rng.randint(-3, 3))
        in_law_sex = "female" if sex == "male" else "male"
        people.append({"relation": "in_law", "sex": in_law_sex, "age": in_law_age})
        young = min(age, in_law_age)
        while len(people) < size:
            age = rng.randint(0, min(17, young - 18))
            sex = rng.choice(("male", "female"))
            people.append({"relation": "grandchild", "sex": sex, "age": age})
    while len(people) < size:
        age = mother_age - rng.randint(18, max(18, min(42, mother_age)))
        people.append(
            {"relation": "child", "sex": rng.choice(("male", "female")), "age": age}
        )
    return people


def _name_people(
    rng: Random, people: list[dict], ethnic: str, profile: Profile
) -> None:
    """Family names follow the father (Kinh, Tày, Nùng, Thái, Dao) or the mother's clan
    (Ê Đê, M'nông); a spouse's clan differs from the head's."""
    lineage_sex = "female" if ethnic in _MATRILINEAL else "male"
    head = people[0]
    head.update(ethnic=ethnic, family=family_name(rng, ethnic))
    line = head["family"] if head["sex"] == lineage_sex else None  # the children's
    parent_of_grandchildren = None
    for person in people[1:]:
        relation = person["relation"]
        person["ethnic"] = ethnic
        if relation == "spouse":
            if rng.random() > 0.94:
                person["ethnic"] = pick(rng, profile.ethnic)
            person["family"] = family_name(
                rng, person["ethnic"], other_than=head["family"]
            )
            if person["sex"] == lineage_sex:
                same = person["ethnic"] == ethnic
                line = person["family"] if same else head["family"]
        elif relation == "parent" and person["sex"] == lineage_sex:
            person["family"] = head["family"]
        elif relation == "child":
            if line is None:  # from the parent who no longer lives here
                line = family_name(rng, ethnic, other_than=head["family"])
            person["family"] = line
            if person.get("has_children"):
                parent_of_grandchildren = person
        elif relation == "grandchild" and parent_of_grandchildren is not None:
            person["family"] = parent_of_grandchildren["family"]
        else:  # the other parent, a child-in-law
            person["family"] = family_name(rng, ethnic, other_than=head["family"])
        if relation == "in_law" and parent_of_grandchildren["sex"] != lineage_sex:
            parent_of_grandchildren = person
    given_names: set[str] = set()  # no two members share a given name
    for person in people:
        person["birth_year"] = AGE_YEAR - person["age"]
        person["full_name"] = person_name(
            rng, person["ethnic"], person["sex"], person["family"], person["birth_year"],
            avoid=given_names,
        )  # fmt: skip


def member_flags(
    rng: Random, people: list[dict], deprivations: list[str], kind: str
) -> None:
    """Schooling and health insurance agree with the 2025 review's deprivations."""
    uninsured: set[int] = set()
    if "health_insurance" in deprivations:
        older = [i for i, p in enumerate(people) if p["age"] >= 6]
        uninsured = set(rng.sample(older, min(len(older), rng.choice((1, 1, 2)))))
    out_of_school = None
    if "child_school" in deprivations:
        out_of_school = rng.choice(
            [i for i, p in enumerate(people) if 6 <= p["age"] <= 15]
        )
    for i, person in enumerate(people):
        age = person["age"]
        if 6 <= age <= 15:
            student = i != out_of_school
        elif 16 <= age <= 22:
            student = rng.random() < (0.7 if age <= 18 else 0.3) * (
                1 if kind == "thon" else 0.6
            )
        else:
            student = False
        person.update(
            is_student=student,
            has_health_insurance=i not in uninsured,
            has_disability=rng.random() < (0.05 if age >= 60 else 0.012),
        )
