"""Authorization, declared once: the catalog is data; everything else derives from it."""
