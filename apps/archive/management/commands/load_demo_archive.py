import json
from io import BytesIO

import openpyxl
from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.html import escape
from PIL import Image
from wagtail.rich_text import RichText

from apps.archive import drawing, services
from apps.archive.licences import LicenceCode
from apps.archive.models import Item
from apps.archive.page_views import SECTION_SLUG
from apps.archive.pages import ArchiveStoryPage
from apps.common.sections import page_publish_translated
from apps.municipalities.models import Municipality
from apps.places.models import Place
from apps.places.services import place_create

DEMO_DIR = settings.BASE_DIR / "data" / "demo"
HERITAGE_FILE = settings.BASE_DIR / "data" / "opendata" / "cultural-heritage.xlsx"
HERITAGE_COLLECTIONS = ("designated-heritage",)


class Command(BaseCommand):
    help = (
        "Add the demo archive items that are missing (by identifier): the designated heritage list from "
        "data/opendata/cultural-heritage.xlsx and the items of data/demo/<code>-archive.json, each with an "
        "ILLUSTRATION drawn here, a ten-page document and an oral history with its timed transcript. Items "
        "that exist are left as editors made them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--municipality", default=settings.DEFAULT_MUNICIPALITY)

    def handle(self, *args, municipality: str, **options):
        city = Municipality.objects.filter(code=municipality).first()
        if city is None:
            raise CommandError(f"Unknown municipality {municipality!r}: run load_reference_data first.")
        path = DEMO_DIR / f"{city.code}-archive.json"
        if not path.exists():
            self.stdout.write(f"{city.code}: no {path.name}; archive not loaded")
            return
        self.demo = json.loads(path.read_text(encoding="utf-8"))
        self.city = city
        self.existing = set(Item.objects.filter(municipality=city).values_list("identifier", flat=True))
        with transaction.atomic():
            self.collections = {
                entry["slug"]: services.collection_ensure(
                    municipality=city,
                    slug=entry["slug"],
                    title_ko=entry["ko"],
                    title_en=entry["en"],
                    description_ko=entry["description_ko"],
                    description_en=entry["description_en"],
                )
                for entry in self.demo["collections"]
            }
            added = self._heritage() + self._items() + self._document() + self._oral_history()
            stories = self._stories()
        self.stdout.write(f"{city.code}: {added} archive items added, {stories} story pages")

    def _place(self, name_ko: str, name_en: str, latitude: float, longitude: float) -> Place:
        found = Place.objects.filter(
            municipality=self.city, kind=Place.Kind.POINT, name_ko=name_ko, latitude=latitude, longitude=longitude
        ).first()
        return found or place_create(
            municipality=self.city,
            kind=Place.Kind.POINT,
            name_ko=name_ko,
            name_en=name_en,
            latitude=latitude,
            longitude=longitude,
        )

    def _named_place(self, key: str) -> Place | None:
        if not key:
            return None
        place = self.demo["places"][key]
        return self._place(place["ko"], place["en"], place["lat"], place["lon"])

    def _new_item(self, *, identifier: str, entry: dict, place: Place | None, **fields) -> Item:
        holder, source = self.demo["rights_holder"], self.demo["source"]
        item = Item(
            municipality=self.city,
            identifier=identifier,
            place=place,
            licence=LicenceCode.KOGL_1,
            rights_holder_ko=holder["ko"],
            rights_holder_en=holder["en"],
            source_ko=source["ko"],
            source_en=source["en"],
            is_illustration=True,
            **fields,
        )
        item = services.item_save(item)
        services.item_collections_add(item, [self.collections[slug] for slug in entry.get("collections", [])])
        return item

    def _illustrate(self, item: Item, scene: str) -> None:
        image = drawing.illustration(
            title_ko=item.title_ko, title_en=item.title_en, date_text=item.date_text, scene=scene, seed=item.identifier
        )
        services.item_media_add(
            item, image=image, filename=f"{item.identifier}.jpg", label_ko="삽화", label_en="Illustration"
        )

    def _heritage(self) -> int:
        sheet = openpyxl.load_workbook(HERITAGE_FILE, read_only=True).worksheets[0]
        rows = list(sheet.iter_rows(min_row=2, values_only=True))
        added = 0
        for number, name, kind, designation, address, site, summary, latitude, longitude in rows:
            identifier = f"UA-H-{int(number):03d}"
            if identifier in self.existing:
                continue
            extra = self.demo["heritage"][str(number)]
            collections = list(HERITAGE_COLLECTIONS) + (["mangwolsa"] if site == "망월사" else [])
            item = self._new_item(
                identifier=identifier,
                entry={"collections": collections},
                place=self._place(site, "", latitude, longitude),
                item_type=extra["type"],
                title_ko=name,
                title_en=extra["en"],
                date_text=extra["date"],
                subjects_ko=f"{kind}, {site}, 문화재",
                subjects_en="designated heritage",
                description_ko=f"{kind} {designation}. {summary}. 소재지: {address} {site}.",
                description_en=f"Designated by Gyeonggi-do ({designation}).",
            )
            self._illustrate(item, "heritage")
            added += 1
        return added

    def _items(self) -> int:
        added = 0
        for entry in self.demo["items"]:
            if entry["id"] in self.existing:
                continue
            item = self._new_item(
                identifier=entry["id"],
                entry=entry,
                place=self._named_place(entry["place"]),
                item_type=entry["type"],
                title_ko=entry["ko"],
                title_en=entry["en"],
                date_text=entry["date"],
                subjects_ko=entry["subjects_ko"],
                subjects_en=entry["subjects_en"],
                description_ko=entry["description_ko"],
                description_en=entry["description_en"],
            )
            # Films and recordings have their files (or wait for them); everything else has its picture.
            if entry["type"] not in (Item.Type.VIDEO, Item.Type.AUDIO):
                self._illustrate(item, entry["scene"])
            added += 1
        for item in Item.objects.filter(municipality=self.city, item_type=Item.Type.VIDEO, video=""):
            self._film(item)
        return added

    def _film(self, item: Item) -> None:
        """The drawn film made by data/demo/archive/make_festival_video.py, with its captions."""
        film = DEMO_DIR / "archive" / f"{item.identifier}.mp4"
        captions = next((entry.get("captions") for entry in self.demo["items"] if entry["id"] == item.identifier), None)
        if not film.exists():
            return
        if captions and not item.transcript_vtt:
            cues = "\n\n".join(f"{start} --> {end}\n{text}" for start, end, text in captions)
            item.transcript_vtt = f"WEBVTT\n\n{cues}\n"
            item.save(update_fields=["transcript_vtt", "updated_at"])
        with film.open("rb") as mp4:
            services.item_video_set(item, File(mp4, name=film.name))

    def _document(self) -> int:
        entry = self.demo["document"]
        if entry["id"] in self.existing:
            return 0
        item = self._new_item(
            identifier=entry["id"],
            entry=entry,
            place=self._named_place(entry["place"]),
            item_type=Item.Type.DOCUMENT,
            title_ko=entry["ko"],
            title_en=entry["en"],
            creator_ko=entry["creator_ko"],
            creator_en=entry["creator_en"],
            date_text=entry["date"],
            subjects_ko=entry["subjects_ko"],
            subjects_en=entry["subjects_en"],
            description_ko=entry["description_ko"],
            description_en=entry["description_en"],
        )
        # The drawn pages as one PDF, given to the archive as an archivist's PDF is: its pages become
        # the item's images (made here at once, as a worker makes them for the admin).
        pages = [
            Image.open(
                BytesIO(
                    drawing.document_page(
                        title_ko=item.title_ko,
                        title_en=item.title_en,
                        page=page,
                        pages=entry["pages"],
                        seed=item.identifier,
                    )
                )
            )
            for page in range(1, entry["pages"] + 1)
        ]
        pdf = BytesIO()
        pages[0].save(pdf, "PDF", save_all=True, append_images=pages[1:], resolution=150)
        services.item_pdf_set(item, ContentFile(pdf.getvalue(), name=f"{item.identifier}.pdf"))
        services.item_pdf_pages_make(item.pk)
        return 1

    def _oral_history(self) -> int:
        entry = self.demo["oral_history"]
        if entry["id"] in self.existing:
            self._recording(Item.objects.get(municipality=self.city, identifier=entry["id"]))
            return 0
        cues = "\n\n".join(f"{start} --> {end}\n{text}" for start, end, text in entry["transcript"])
        item = self._new_item(
            identifier=entry["id"],
            entry=entry,
            place=self._named_place(entry["place"]),
            item_type=Item.Type.ORAL_HISTORY,
            title_ko=entry["ko"],
            title_en=entry["en"],
            creator_ko=entry["creator_ko"],
            creator_en=entry["creator_en"],
            date_text=entry["date"],
            subjects_ko=entry["subjects_ko"],
            subjects_en=entry["subjects_en"],
            description_ko=entry["description_ko"],
            description_en=entry["description_en"],
            transcript_vtt=f"WEBVTT\n\n{cues}\n",
        )
        self._recording(item)
        return 1

    def _stories(self) -> int:
        """The exhibitions, the people and the everyday-culture pages under the site's 아카이브 section (in
        Korean, and in English where the site has it); none without that section."""
        path = DEMO_DIR / f"{self.city.code}-archive-stories.json"
        site = self.city.site
        section = site.root_page.get_children().filter(slug=SECTION_SLUG).first() if site else None
        if section is None or not path.exists():
            return 0
        added = 0
        for story in json.loads(path.read_text(encoding="utf-8"))["stories"]:
            if section.get_children().filter(slug=story["slug"]).exists():
                continue
            page = ArchiveStoryPage(slug=story["slug"], **self._story_fields(story, "ko"))
            page_publish_translated(section, page, {"en": self._story_fields(story, "en")})
            added += 1
        return added

    def _story_fields(self, story: dict, language: str) -> dict:
        text = story[language]
        featured = Item.objects.filter(municipality=self.city, title_en__in=story.get("items", []), is_public=True)
        body = [("paragraph", RichText(f"<p>{escape(paragraph)}</p>")) for paragraph in text["paragraphs"]]
        body += [("item", {"item": item, "caption": ""}) for item in featured]
        if text.get("timeline"):
            events = [{"when": when, "what": what} for when, what in text["timeline"]]
            body.append(("timeline", {"heading": "", "events": events}))
        portrait = Item.objects.filter(municipality=self.city, title_en=story.get("portrait", ""), is_public=True)
        return {
            "title": text["title"],
            "summary": text["summary"],
            "kind": story["kind"],
            "topic": story.get("topic", ""),
            "years": text.get("years", story.get("years", "")),
            "role": text.get("role", ""),
            "portrait": portrait.first(),
            "collection": self.collections.get(story.get("collection", "")),
            "body": body,
            "illustrative": True,
        }

    def _recording(self, item: Item) -> None:
        """The recording made by data/demo/archive/make_oral_history_audio.py (a synthetic voice)."""
        recording = DEMO_DIR / "archive" / f"{item.identifier}.wav"
        if not item.audio and recording.exists():
            with recording.open("rb") as wav:
                services.item_recording_set(item, File(wav, name=recording.name))
