"""Yangguang (阳光执法): an open platform for city-management enforcement bureaus."""

__version__ = "0.1.0"
