"""Errors of the emulation rules; each carries a Vietnamese ``message`` safe to show.

Hierarchy::

    EmulationError(ValueError)
    ├── UnknownTitleError        a title/form code that is not in TITLES
    ├── NoRuleSetError           no rule set covers the requested date / id
    ├── RuleDataError            domain/data/rulesets.json is malformed (developer error)
    ├── InvalidFactsError        impossible facts (negative counts, votes > members, …)
    ├── SettingsError            an organisation setting that cannot be applied
    └── AuthorityError           nobody (known) may confer a title for this organisation
"""

from __future__ import annotations

from domain.errors import VanthuError


class EmulationError(VanthuError, ValueError):
    """Base class; ``message`` is Vietnamese and meant for the clerk."""

    code = "emulation_refused"


class UnknownTitleError(EmulationError):
    """The code names no danh hiệu or hình thức khen thưởng."""


class NoRuleSetError(EmulationError):
    """No rule set is in force for the date (or no rule set has the id)."""


class RuleDataError(EmulationError):
    """The rule-set data file is malformed."""


class InvalidFactsError(EmulationError):
    """The facts given to a check are impossible or of the wrong kind."""


class SettingsError(EmulationError):
    """An organisation setting is malformed."""


class AuthorityError(EmulationError):
    """No decision maker may confer the title on the date, or the organisation has not said
    who its superior is."""
