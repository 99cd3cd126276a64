"""What an editor writes per marker in several languages at once: photos with their alt text, and
the ecology of each season. Korean is required; the other languages fall back as pick_language does
(Japanese and Chinese readers get English until a text in their language is given)."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

from apps.common.language import pick_language


class Season:
    SPRING, SUMMER, AUTUMN, WINTER = "spring", "summer", "autumn", "winter"
    CHOICES = [
        (SPRING, _("Spring (March to May)")),
        (SUMMER, _("Summer (June to August)")),
        (AUTUMN, _("Autumn (September to November)")),
        (WINTER, _("Winter (December to February)")),
    ]

    @classmethod
    def of_month(cls, month: int) -> str:
        return {3: cls.SPRING, 4: cls.SPRING, 5: cls.SPRING, 6: cls.SUMMER, 7: cls.SUMMER, 8: cls.SUMMER}.get(
            month, cls.AUTUMN if 9 <= month <= 11 else cls.WINTER
        )


class LocalizedTextValue(blocks.StructValue):
    @property
    def text(self) -> str:
        return pick_language(
            self.get("ko", ""), self.get("en", ""), ja=self.get("ja", ""), zh_hans=self.get("zh_hans", "")
        )


class LocalizedTextBlock(blocks.StructBlock):
    """A short text in Korean (required) and the walkers' other languages."""

    ko = blocks.CharBlock(label=_("Korean"), max_length=300)
    en = blocks.CharBlock(label=_("English"), max_length=300, required=False)
    ja = blocks.CharBlock(label=_("Japanese"), max_length=300, required=False)
    zh_hans = blocks.CharBlock(label=_("Chinese (simplified)"), max_length=300, required=False)

    class Meta:
        value_class = LocalizedTextValue


class PhotoBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("photo"))
    alt = LocalizedTextBlock(
        label=_("alt text"), help_text=_("What the photo shows, for walkers who cannot see it (one sentence).")
    )

    class Meta:
        icon = "image"
        label = _("photo")


class SeasonBlock(blocks.StructBlock):
    """What a walker sees and hears here in one season."""

    season = blocks.ChoiceBlock(label=_("season"), choices=Season.CHOICES)
    flowers = LocalizedTextBlock(label=_("flowers and plants"), required=False)
    birds = LocalizedTextBlock(label=_("birds and animals"), required=False)

    class Meta:
        icon = "pick"
        label = _("season")
