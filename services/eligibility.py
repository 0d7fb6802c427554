"""Eligibility warnings for the clerk's review page (placeholder until domain API lands)."""
