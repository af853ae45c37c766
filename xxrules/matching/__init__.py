"""Matching a clue against compiled rules: its facts (one keyword pass), candidate rules, condition evaluation."""
