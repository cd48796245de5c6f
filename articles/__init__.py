"""Articles: sections, articles, pictures, tags, and the pages readers read them on."""
