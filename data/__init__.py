"""This folder, installed as the package ``riskmodel.data``: read it through riskmodel.resources.

It is a regular package rather than a namespace one because setuptools' editable install
maps a package onto a folder outside ``riskmodel/`` only when the folder has an ``__init__.py``.
"""
