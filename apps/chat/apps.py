from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChatConfig(AppConfig):
    name = "apps.chat"
    verbose_name = _("Chat assistant")

    def ready(self) -> None:
        from apps.complaints.signals import case_filed_in_conversation

        case_filed_in_conversation.connect(_case_filed_in_conversation, dispatch_uid="chat.case_filed")


def _case_filed_in_conversation(*, client, complaint, tracking_url, conversation, **kwargs) -> None:
    """The chatbot filed a case through the API naming its conversation (apps.complaints.api)."""
    from apps.chat import services

    services.conversation_case_filed(
        conversation_uuid=conversation, complaint=complaint, tracking_url=tracking_url, client=client
    )
