"""Cases replayed against rules: one pass per case, one state machine per rule kind."""

from .engine import Replayer, check

__all__ = ["Replayer", "check"]
