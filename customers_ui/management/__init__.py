"""The documented management commands for operators: provisioning credentials and password
sign-in, encryption keys and their rotation, the audit purge, the directory sync, demo seeding."""
