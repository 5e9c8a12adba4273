"""Benchmarks: `make bench` runs tests.bench.run (pages under wrk against a bare Flask page)."""
