"""The CKAN Action API (read-only): what CKAN clients (ckanapi, harvesters, data.go.kr style
aggregators) call, answered from the same selectors as the public pages.

Laid out as CKAN lays out its own: `params` reads the arguments (CKAN's validators), `query`
reads search and sort strings (`ckan/lib/search/query.py`), `dictize` builds the dictionaries
(`model_dictize.py`), `actions` are the actions (`ckan/logic/action/get.py`), `views` answers
`/api/3/action/<name>` (`ckan/views/api.py`) and `errors` are the errors every part raises.
"""

from apps.opendata.ckan.views import action

__all__ = ["action"]
