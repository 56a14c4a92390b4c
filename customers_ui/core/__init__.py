"""Shared web plumbing every feature package stands on: the request's id and context, the
client's address, log records, the problem table and its pages, health, encryption at rest,
audit retention and CSV export. Nothing here imports a feature package."""
