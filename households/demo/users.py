"""The demo logins, printed by ``make run`` and ``manage.py seed_demo``."""

DEMO_PASSWORD = "eaktur-demo-2025"  # noqa: S105 (demo data only, printed on purpose)
DEMO_USERS = [
    # Vietnamese forms split a name into "họ và chữ đệm" (last_name) and "tên" (first_name);
    # an Ê Đê name ends with the clan, which is the family name.
    {"username": "quantri", "full_name": "Nguyễn Thị Thu Hà", "last_name": "Nguyễn Thị Thu", "first_name": "Hà",
     "role": "commune_admin", "is_staff": True, "villages": [],
     "label": "commune administrator"},
    {"username": "canbo", "full_name": "Trần Văn Minh", "last_name": "Trần Văn", "first_name": "Minh",
     "role": "commune_official", "is_staff": True, "villages": [],
     "label": "commune official"},
    {"username": "thonbuontieu", "full_name": "Y Bhin Niê", "last_name": "Niê", "first_name": "Y Bhin",
     "role": "village_officer", "is_staff": False, "villages": ["B01"],
     "label": "village officer (Buôn Tiêu)"},
]  # fmt: skip
DEMO_LOGINS = [(u["username"], DEMO_PASSWORD, u["label"]) for u in DEMO_USERS]
