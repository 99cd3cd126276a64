"""What complaints announce to other apps, so that it need not import them."""

from django.dispatch import Signal

# Sent by POST /api/v1/complaints/ after a case is filed (and committed) that names the chat
# conversation it was reported in: client (ApiClient), complaint, tracking_url (the reporter's
# private link), conversation (uuid.UUID). apps.chat listens.
case_filed_in_conversation = Signal()
