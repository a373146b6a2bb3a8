"""Outreach work, mounted at /outreach/: contacts and follow-ups, coverage, digital teams,
assisted applications."""

from django.urls import path  # noqa: F401

app_name = "contacts"

urlpatterns: list = []
