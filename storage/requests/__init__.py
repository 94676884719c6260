"""Requests, their events and their reference numbers: tables, repository, statuses."""
