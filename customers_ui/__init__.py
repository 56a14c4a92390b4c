"""The lookup app: credentials, lookups, audit, and the Thredfi client it speaks through."""
