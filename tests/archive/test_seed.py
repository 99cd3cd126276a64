from django.core.management import call_command

from apps.archive.models import Collection, Item


def test_the_demo_archive(city, settings):
    call_command("load_demo_archive", verbosity=0)
    call_command("load_demo_archive", verbosity=0)

    items = Item.objects.filter(municipality=city)
    assert items.count() == 60
    assert not items.filter(is_illustration=False).exists()
    document = items.get(item_type=Item.Type.DOCUMENT, identifier="UA-D-001")
    assert document.media.count() == 10
    oral_history = items.get(item_type=Item.Type.ORAL_HISTORY)
    assert oral_history.transcript_vtt.startswith("WEBVTT\n\n00:00:00.000 --> 00:00:06.000\n")
    heritage = Collection.objects.get(slug="designated-heritage")
    assert heritage.items.count() == 20
    assert heritage.items.filter(place__isnull=True).count() == 0
    assert items.filter(date_earliest__isnull=True).count() == 0
    assert (settings.PRIVATE_MEDIA_ROOT / document.media.first().file.name).exists()
    assert not (settings.MEDIA_ROOT / "archive").exists()  # never where nginx serves anyone
