"""Benchmarks (``make bench``, entry point ``bench.run``) and the load test (``bench/load.py``)."""
