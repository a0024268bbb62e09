"""Outputs beside the JSON tree: the Parquet dataset, its Arrow schema, the per-run change feed."""
