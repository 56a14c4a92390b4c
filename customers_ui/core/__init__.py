"""Shared web plumbing every feature package stands on: the request's id and context (and the
middleware that sets it), the client's address, log records, the problem table and its pages,
encryption at rest, audit retention, CSV export and time zone names. Nothing here imports a
feature package, the Thredfi adapter or the models."""
