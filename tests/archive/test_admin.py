"""Editors keep items and collections in the Wagtail admin (snippets, so exhibition pages can choose
them); an item saved there gets the years of its date text like one saved by the services."""

from apps.archive.models import Item


def test_an_editor_adds_and_finds_an_item_and_its_years_are_read(admin_client, city, photograph, everyday):
    listing = admin_client.get("/admin/snippets/archive/item/", {"q": "T-PHOTO"})
    assert listing.status_code == 200 and "T-PHOTO" in listing.content.decode()
    edit_form = admin_client.get("/admin/snippets/archive/item/add/")
    assert edit_form.status_code == 200
    created = admin_client.post(
        "/admin/snippets/archive/item/add/",
        {
            "identifier": "T-NEW",
            "item_type": "photograph",
            "title_ko": "새 자료",
            "date_text": "1960년대",
            "licence": "kogl-1",
            "rights_holder_ko": "의정부문화원",
            "is_public": "on",
            "municipality": city.pk,
        },
    )
    assert created.status_code == 302, created.content.decode()[:2000]
    item = Item.objects.get(identifier="T-NEW")
    assert (item.date_earliest, item.date_latest) == (1960, 1969)
    chooser = admin_client.get("/admin/snippets/choose/archive/item/", {"q": "T-NEW"})
    assert chooser.status_code == 200 and "새 자료" in chooser.json()["html"]
    assert admin_client.get("/admin/snippets/archive/collection/").status_code == 200
