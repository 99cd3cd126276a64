"""Custom actions for the 의정부시 민원 도우미, served by `rasa run actions`."""
