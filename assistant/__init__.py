"""Trợ lý Chi bộ: an offline drafting and knowledge assistant for Party cells."""

__version__ = "0.1.0"
