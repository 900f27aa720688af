"""Publishing the catalogue from the console: edits, validation, preview and versions."""
