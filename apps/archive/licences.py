"""The licences an archive item may carry, each with the URI machines read (IIIF `rights`, oai_dc
`dc:rights`, the item API) and the short names people read. 공공누리 (KOGL) types 1-4 are the
Korean public-sector licences; Creative Commons covers what residents and other holders grant."""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class LicenceCode(models.TextChoices):
    KOGL_1 = "kogl-1", _("KOGL Type 1: attribution")
    KOGL_2 = "kogl-2", _("KOGL Type 2: attribution, non-commercial")
    KOGL_3 = "kogl-3", _("KOGL Type 3: attribution, no changes")
    KOGL_4 = "kogl-4", _("KOGL Type 4: attribution, non-commercial, no changes")
    CC0 = "cc0-1.0", _("CC0 1.0: no rights reserved")
    CC_BY = "cc-by-4.0", _("CC BY 4.0")
    CC_BY_SA = "cc-by-sa-4.0", _("CC BY-SA 4.0")
    CC_BY_NC = "cc-by-nc-4.0", _("CC BY-NC 4.0")
    CC_BY_ND = "cc-by-nd-4.0", _("CC BY-ND 4.0")
    CC_BY_NC_SA = "cc-by-nc-sa-4.0", _("CC BY-NC-SA 4.0")
    CC_BY_NC_ND = "cc-by-nc-nd-4.0", _("CC BY-NC-ND 4.0")


@dataclass(frozen=True)
class Licence:
    code: str
    uri: str
    # The label in Korean and English whatever the reader's language: harvesters get both.
    name_ko: str
    name_en: str


_KOGL = "https://www.kogl.or.kr/info/licenseType{}.do"
_CC = "http://creativecommons.org/licenses/{}/4.0/"

LICENCES: dict[str, Licence] = {
    licence.code: licence
    for licence in (
        Licence(LicenceCode.KOGL_1, _KOGL.format(1), "공공누리 제1유형: 출처표시", "KOGL Type 1: attribution"),
        Licence(
            LicenceCode.KOGL_2,
            _KOGL.format(2),
            "공공누리 제2유형: 출처표시, 상업적 이용금지",
            "KOGL Type 2: attribution, non-commercial",
        ),
        Licence(
            LicenceCode.KOGL_3,
            _KOGL.format(3),
            "공공누리 제3유형: 출처표시, 변경금지",
            "KOGL Type 3: attribution, no changes",
        ),
        Licence(
            LicenceCode.KOGL_4,
            _KOGL.format(4),
            "공공누리 제4유형: 출처표시, 상업적 이용금지, 변경금지",
            "KOGL Type 4: attribution, non-commercial, no changes",
        ),
        # Creative Commons URIs as IIIF and RightsStatements.org write them: http, trailing slash.
        Licence(LicenceCode.CC0, "http://creativecommons.org/publicdomain/zero/1.0/", "CC0 1.0 (권리 포기)", "CC0 1.0"),
        Licence(LicenceCode.CC_BY, _CC.format("by"), "CC BY 4.0 (저작자표시)", "CC BY 4.0"),
        Licence(
            LicenceCode.CC_BY_SA, _CC.format("by-sa"), "CC BY-SA 4.0 (저작자표시-동일조건변경허락)", "CC BY-SA 4.0"
        ),
        Licence(LicenceCode.CC_BY_NC, _CC.format("by-nc"), "CC BY-NC 4.0 (저작자표시-비영리)", "CC BY-NC 4.0"),
        Licence(LicenceCode.CC_BY_ND, _CC.format("by-nd"), "CC BY-ND 4.0 (저작자표시-변경금지)", "CC BY-ND 4.0"),
        Licence(
            LicenceCode.CC_BY_NC_SA,
            _CC.format("by-nc-sa"),
            "CC BY-NC-SA 4.0 (저작자표시-비영리-동일조건변경허락)",
            "CC BY-NC-SA 4.0",
        ),
        Licence(
            LicenceCode.CC_BY_NC_ND,
            _CC.format("by-nc-nd"),
            "CC BY-NC-ND 4.0 (저작자표시-비영리-변경금지)",
            "CC BY-NC-ND 4.0",
        ),
    )
}
