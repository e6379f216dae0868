"""The app: a page a trainer uses without writing code (``youthmedia app``).

A notebook (``app.ipynb``) served by Voilà on 127.0.0.1: drop a file or pick an example, check
what was understood and correct it, choose questions, breakdowns and language, edit headlines and
download the deck, the workbook and the figures. :mod:`.core` does the work, :mod:`.page` holds
the widgets, :mod:`.server` starts Voilà.
"""
