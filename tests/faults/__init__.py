"""The fault suite: notices through real servers that fail (``make faults``,
docs/faults.md)."""
