"""The app (``youthmedia app``): ``app.ipynb`` served by Voilà (:mod:`.server`) shows the
widgets of :mod:`.page`, which do their work with :mod:`.core` and the library."""
