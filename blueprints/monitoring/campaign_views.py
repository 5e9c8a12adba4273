"""Campaigns: the list, the form, launch with its order, copy from the previous period, completeness and reminders."""
from .blueprint import bp  # noqa: F401
