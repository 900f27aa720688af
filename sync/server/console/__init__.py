"""The district console's JSON API under /console/api/ (docs/district.md): staff accounts,
sessions, the work orders of the 好差评 loop and the audit log."""
