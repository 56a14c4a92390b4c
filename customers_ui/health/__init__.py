"""Liveness for the platform router and runbooks: `/healthz`."""
