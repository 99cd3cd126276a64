from celery import shared_task

from apps.archive import contributions, services


@shared_task
def purge_contribution_contacts() -> int:
    """Contributors' name and email blanked a year after the decision (the consent's promise)."""
    return contributions.contributions_contact_purge()


@shared_task
def make_pdf_pages(item_id: int) -> str:
    """A document's PDF pages made into its images (services.item_pdf_pages_make). Acknowledged
    late, as every task: a worker that dies mid-way leaves it to be run again from the stored PDF."""
    return services.item_pdf_pages_make(item_id)
