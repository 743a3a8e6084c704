"""Shared building blocks: validation, secure defaults, monitoring. No pattern logic."""

from patterns.core.monitoring import Monitoring
from patterns.core.validation import PatternValidationError, Validator

__all__ = ["Monitoring", "PatternValidationError", "Validator"]
