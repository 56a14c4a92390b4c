"""PostgreSQL engine of the dashboard (DATABASE_URL postgres://…): Django's, with a pool that tells
a busy pool from an unreachable database (see base.py)."""
