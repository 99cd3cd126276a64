class ChannelLayerRouter:
    """The SQLite channel layer lives in its own database ("channels"); nothing else does."""

    app_label = "channels_lite"
    database = "channels"

    def db_for_read(self, model, **hints):
        return self.database if model._meta.app_label == self.app_label else None

    def db_for_write(self, model, **hints):
        return self.database if model._meta.app_label == self.app_label else None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return (app_label == self.app_label) == (db == self.database)
