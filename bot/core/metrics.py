"""What an operator measures: counters and timings in Prometheus' format, one registry per
runtime (two runtimes in one process, as in the tests and the sandbox, never mix figures).

The handlers and the dispatcher count as they go; the gauges that describe the database (the
outbox's depth, the pool) are read when ``/metrics`` is asked for.
"""

from __future__ import annotations

from contextvars import ContextVar

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

# How the update being handled ended: "handled", "duplicate" (seen before) or "error". Set by
# the unit of work's wrapper and the error handler, read by the update processor after.
OUTCOME: ContextVar[str] = ContextVar("update_outcome", default="handled")

# Update handling is mostly a few milliseconds; a slow database shows in the upper buckets.
_UPDATE_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    """The figures of one runtime, in their own registry."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.updates = Counter(
            "frontdoor_updates", "Updates handled, by kind and outcome",
            ["kind", "outcome"], registry=r)
        self.update_seconds = Histogram(
            "frontdoor_update_seconds", "Time to handle an update, by kind",
            ["kind"], buckets=_UPDATE_BUCKETS, registry=r)
        self.sends = Counter(
            "frontdoor_sends", "Outbox deliveries attempted, by outcome "
            "(ok, retry_after, server_error, network, blocked, refused)",
            ["outcome"], registry=r)
        self.send_seconds = Histogram(
            "frontdoor_send_seconds", "Time of one Bot API send, the rate limiter's wait "
            "included", registry=r)
        self.budget_wait = Histogram(
            "frontdoor_send_budget_wait_seconds",
            "Time a send waited for its place in the budget the replicas share", registry=r)
        self.outbox_depth = Gauge(
            "frontdoor_outbox_pending", "Messages waiting in the outbox, by lane",
            ["lane"], registry=r)
        self.outbox_oldest = Gauge(
            "frontdoor_outbox_oldest_pending_seconds",
            "Age of the oldest message waiting in the outbox, by lane", ["lane"], registry=r)
        self.job_lag = Gauge(
            "frontdoor_job_lag_seconds",
            "Seconds since each background job last finished a run", ["job"], registry=r)
        self.job_leader = Gauge(
            "frontdoor_job_leader", "1 while this process runs the background jobs",
            registry=r)
        self.job_runs = Counter(
            "frontdoor_job_runs", "Background job runs, by job and outcome",
            ["job", "outcome"], registry=r)
        # Loop time at which each job last finished, for job_lag at scrape time.
        self.job_finished: dict[str, float] = {}
        self.catalogue_version = Gauge(
            "frontdoor_catalogue_version",
            "The recorded catalogue version this process serves (catalogue_versions.id)",
            registry=r)
        self.db_pool = Gauge(
            "frontdoor_db_connections_in_use", "Database connections checked out of the pool",
            registry=r)
