from celery import shared_task

from portal import health


@shared_task
def record_worker_heartbeat() -> None:
    """Scheduled by beat; lets /readyz tell that a worker is taking tasks off the broker."""
    health.worker_heartbeat_record()
