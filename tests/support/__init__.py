"""Helpers the tests share (building and serving the site); the benchmarks use them too."""
