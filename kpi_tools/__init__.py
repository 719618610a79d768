"""The KPI database and the read-only tools that answer from it."""
