"""The main window's flows: each owns a few screens and the steps between them."""
