"""A section of the site (a child of the home page, such as /trails/ or /mobility/) that becomes
an area's own index page, in every language the site has, keeping its address and translations."""

from typing import TypeVar

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.http import HttpRequest
from wagtail.models import Page, Revision, Site

IndexPage = TypeVar("IndexPage", bound=Page)


@transaction.atomic
def section_install(
    home: Page, index_type: type[IndexPage], *, slug: str, texts: dict[str, dict[str, str]]
) -> IndexPage:
    """The home page's `slug` section as an `index_type` page, with `texts[language]` ({"title"
    and the index's other text fields}).

    A site set up before the area existed has a plain section page there: it becomes the index in
    place (same page, address, translations and menu entry), keeping any of those fields it already
    has. With no such page, one is created in Korean and translated into the languages of `texts`."""
    child = home.get_children().filter(slug=slug).first()
    if child is None:
        index = index_type(slug=slug, show_in_menus=True, **texts[settings.LANGUAGE_CODE])
        return page_publish_translated(home, index, texts)
    for page in Page.objects.filter(translation_key=child.translation_key).select_related("locale"):
        if page.specific_class is not index_type:
            _page_become(page, index_type, texts.get(page.locale.language_code) or texts[settings.LANGUAGE_CODE])
    return index_type.objects.get(pk=child.pk)


def page_publish_translated(parent: Page, page: IndexPage, texts: dict[str, dict]) -> IndexPage:
    """Adds `page` under `parent` and publishes it, then its translation into each other language of
    `texts` ({language: {field: value}}) under the parent's translation there, where it has one."""
    parent.add_child(instance=page)
    page.save_revision().publish()
    for language, text in texts.items():
        translated_parent = parent.get_translations().filter(locale__language_code=language).first()
        if language == page.locale.language_code or translated_parent is None:
            continue
        translation = page.copy_for_translation(translated_parent.locale)
        for field, value in text.items():
            setattr(translation, field, value)
        translation.save()
        translation.save_revision().publish()
    return page


def section_page(request: HttpRequest, slug: str) -> Page | None:
    """The home page's live `slug` section in the reader's language, for the breadcrumbs of an
    area's own pages; None when the site has none."""
    site = Site.find_for_request(request)
    if site is None:
        return None
    return site.root_page.localized.get_children().live().filter(slug=slug).first()


def _page_become(page: Page, index_type: type[Page], text: dict[str, str]) -> None:
    """Turns a page of another type into `index_type` without changing its id: the row of the old
    type goes, a row of the new type takes its place, and a new revision is published."""
    old = page.specific
    old_type = type(old)
    if old_type is not Page and set(old_type._meta.parents) != {Page}:
        raise ValueError(f"{old_type.__name__} is not a direct Page type: convert it by hand")
    index = index_type(page_ptr_id=page.pk)
    for field in Page._meta.concrete_fields:
        setattr(index, field.attname, getattr(page, field.attname))
    for field, value in text.items():
        if field != "title":
            setattr(index, field, getattr(old, field, "") or value)
    index.save_base(raw=True)  # the new type's row only; the wagtailcore_page row stays
    if old_type is not Page:
        with connection.cursor() as cursor:
            table = connection.ops.quote_name(old_type._meta.db_table)
            column = connection.ops.quote_name(old_type._meta.pk.column)
            cursor.execute(f"DELETE FROM {table} WHERE {column} = %s", [page.pk])  # noqa: S608 - names from the model
    new_type = ContentType.objects.get_for_model(index_type)
    Page.objects.filter(pk=page.pk).update(content_type=new_type)
    Revision.objects.filter(base_content_type=ContentType.objects.get_for_model(Page), object_id=str(page.pk)).update(
        content_type=new_type
    )
    revision = index_type.objects.get(pk=page.pk).save_revision()
    if page.live:
        revision.publish()
