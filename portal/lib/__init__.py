"""The library every app builds on: apps import from here and nothing else of ``portal``.

Nothing in this package imports an app; what an app contributes (its roles,
what its pages depend on) it registers here from its own code.
"""
