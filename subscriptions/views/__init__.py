"""Subscribers' pages, a module per flow: order, Aboverwaltung, Kündigung/Widerruf, newsletter."""
