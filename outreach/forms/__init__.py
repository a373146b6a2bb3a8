"""Forms of the outreach screens, one module per screen family."""

from .notices import (
    ConfirmForm,
    NoticeCancelForm,
    NoticeComposeForm,
    NoticeFilterForm,
    NoticeScheduleForm,
)

__all__ = [
    "ConfirmForm",
    "NoticeCancelForm",
    "NoticeComposeForm",
    "NoticeFilterForm",
    "NoticeScheduleForm",
]
