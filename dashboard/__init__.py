"""Project package of the customer lookup dashboard."""

__version__ = "0.1.0"
