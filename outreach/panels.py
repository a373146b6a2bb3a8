"""The outreach section of the household page (registered in ``OutreachConfig.ready``):
the household's last contacts, its open follow-ups and the online applications a digital
team member helped it file, with a button to log a contact."""

from households.panels import Panel

from .selectors import applications_of_household, contacts_of_household, today

# How many of the household's contacts the panel lists (the rest are on the list).
LAST_CONTACTS = 5


def household_outreach_panel(*, user, household) -> Panel:
    contacts = list(contacts_of_household(household, user))
    day = today()
    follow_ups = sorted(
        (c for c in contacts if c.follow_up_on and c.follow_up_done_at is None),
        key=lambda c: (c.follow_up_on, c.pk),
    )
    for contact in contacts:
        contact.topic_labels = [t.get_topic_display() for t in contact.topics.all()]
        contact.is_overdue = bool(
            contact.follow_up_on
            and contact.follow_up_done_at is None
            and contact.follow_up_on < day
        )
    return Panel(
        template="outreach/_household_outreach.html",
        context={
            "household": household,
            "contacts": contacts[:LAST_CONTACTS],
            "contact_count": len(contacts),
            "follow_ups": follow_ups,
            "applications": list(applications_of_household(household, user)),
        },
        order=30,
    )
