"""The district's 差评 work orders: one per accepted rating of level <= 2, followed from 待转派 to
办结 by the console's staff (docs/district.md)."""
