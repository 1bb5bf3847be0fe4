"""Tiny applications the benchmark suites serve: the same logic for every server."""
