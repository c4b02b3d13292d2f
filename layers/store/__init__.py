"""Stores: where validated events are kept between runs (files.py: the data directory's files,
each checked once and kept checked on disk by cache.py)."""
