"""Models arrive with this app's issue; the app is wired into settings already."""
