"""The console's overview, service-circle map, station pages and day/month exports."""
