"""The district's 好差评 figures: what each rating record carries for the provincial system, the
aggregates of a month (console API and the monthly XLSX export), docs/district.md "Figures"."""
