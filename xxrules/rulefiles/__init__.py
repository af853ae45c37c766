"""Rule files on disk → one checked, canonical :class:`~xxrules.models.RuleFile`: safe YAML, loading, checking."""
