"""Warehouse stage: Parquet, the DuckDB schema and the SQL."""
import scrutiny  # noqa: F401  (sets Arrow's memory pool before pyarrow is imported)
