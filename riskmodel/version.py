"""riskmodel's version: stamped on every output it writes (reports, workbooks, CSV manifests)."""

__version__ = "0.1.0"
