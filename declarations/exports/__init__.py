"""Official table layouts and the renderers that print them (Excel, HTML, PDF).

Each layout is described once, as a ``Grid`` built from a declaration by a module in
``layouts/``; ``xlsx``, ``html`` and ``pdf`` render any grid. ``service`` ties them together
with the cache and file names.
"""
