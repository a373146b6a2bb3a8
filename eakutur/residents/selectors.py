"""Reads the resident pages share."""

from outreach.models import TeamMember, TeamRole

HELPERS_SHOWN = 4  # the leader first, then a few members: enough to reach someone


def village_helpers(village) -> list[TeamMember]:
    """The village's digital team members a resident can call (1 query): active, with
    a phone, the leader and deputy first."""
    if village is None:
        return []
    members = (
        TeamMember.objects.active().filter(team__village=village).exclude(phone="")
    )
    order = {TeamRole.LEADER: 0, TeamRole.DEPUTY: 1, TeamRole.MEMBER: 2}
    ranked = sorted(members, key=lambda m: (order.get(m.role, 3), m.full_name))
    return ranked[:HELPERS_SHOWN]


__all__ = ["village_helpers"]
