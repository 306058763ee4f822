"""Ingestion models land here with the feed ingestion issue."""
