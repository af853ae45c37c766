"""Shared helpers at the bottom of the house.

China time, text normalization, name look-up, windows, working days and JSON Lines reading.
"""
