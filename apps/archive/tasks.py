from celery import shared_task

from apps.archive import contributions


@shared_task
def purge_contribution_contacts() -> int:
    """Contributors' name and email blanked a year after the decision (the consent's promise)."""
    return contributions.contributions_contact_purge()
