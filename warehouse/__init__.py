"""Warehouse stage: Parquet, the DuckDB schema and the SQL."""
