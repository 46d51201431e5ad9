"""Hostile inputs against the running service: files and requests an attacker would send."""
