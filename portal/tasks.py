from celery import shared_task
from celery.signals import worker_ready

from portal import health


@shared_task
def record_worker_heartbeat() -> None:
    """Scheduled by beat; lets /readyz tell that a worker is taking tasks off the broker."""
    health.worker_heartbeat_record()


@worker_ready.connect
def _heartbeat_on_start(**kwargs) -> None:
    # Ready as soon as the worker is, not half a minute later at beat's first tick.
    health.worker_heartbeat_record()
