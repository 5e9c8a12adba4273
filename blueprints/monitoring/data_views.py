"""Consolidated data of a campaign: the table, .xlsx, open data (CSV, JSON) and the analytical note."""
from .blueprint import bp  # noqa: F401
