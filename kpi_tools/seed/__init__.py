"""Seeding the KPI database from the corpus documents and the public seed data.

`seed_database(engine, documents, seed_data_dir)` is cheap to call on every start: it stores a
fingerprint of what it seeded from and does nothing while that is unchanged.
"""
from kpi_tools.seed.loader import SEED_VERSION, SeedReport, parse_document, seed_database

__all__ = ["SEED_VERSION", "SeedReport", "parse_document", "seed_database"]
