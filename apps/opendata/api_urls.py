"""Machine doors to the catalogue: the CKAN Action API, the DCAT catalogue and the row API."""

ckan_patterns: list = []
catalog_patterns: list = []
api_v1_patterns: list = []
