"""The project: settings and URLs joining the apps, the site's own pages, and portal.lib."""
