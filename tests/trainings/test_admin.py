"""The trainings admin: read-only for everyone, and scoped like the screens."""

import pytest
from django.urls import reverse

from tests.factories.trainings import CourseFactory, EnrolmentFactory, SessionFactory
from tests.pages import assert_not_shows, assert_shows

pytestmark = pytest.mark.django_db


def test_the_admin_shows_trainings_read_only_and_scoped(
    client_for, officer, commune, village, other_village
):
    mine = SessionFactory(
        course=CourseFactory(commune=commune, title="Khóa của thôn 1"),
        village=village,
    )
    EnrolmentFactory(session=mine, full_name="Người Thôn Một")
    theirs = SessionFactory(
        course=CourseFactory(
            commune=commune, title="Khóa của buôn", target_villages=[other_village]
        ),
        village=other_village,
    )
    EnrolmentFactory(session=theirs, member=None, full_name="Người Buôn Tiêu")
    officer.is_staff = True
    officer.save()
    client = client_for(officer)

    courses = client.get(reverse("admin:trainings_course_changelist"))
    assert courses.status_code == 200
    assert_shows(courses, "Khóa của thôn 1")
    assert_not_shows(courses, "Khóa của buôn")
    enrolments = client.get(reverse("admin:trainings_enrolment_changelist"))
    assert_shows(enrolments, "Người Thôn Một")
    assert_not_shows(enrolments, "Người Buôn Tiêu")
    change = client.get(reverse("admin:trainings_session_change", args=[mine.pk]))
    assert change.status_code == 200
    assert_not_shows(change, 'name="capacity"')
    assert (
        client.get(
            reverse("admin:trainings_session_change", args=[theirs.pk])
        ).status_code
        == 302  # "doesn't exist" → back to the admin index
    )
    assert client.get(reverse("admin:trainings_session_add")).status_code == 403
