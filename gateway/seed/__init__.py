"""Seed data: a realistic demo data set and a large synthetic one for benchmarks."""
