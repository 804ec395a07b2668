"""Benchmark scripts: each prints its figures with their ratio to a baseline run in the same run.

`python -m benchmarks.bench_api` (what `make bench-api` runs): the enterprise API over 1,000,000
enterprises in PostgreSQL, served by gunicorn.
"""
