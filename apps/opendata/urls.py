"""Public pages under /<language>/open-data/datasets/."""

app_name = "opendata"

urlpatterns: list = []
