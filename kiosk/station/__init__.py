"""The station service: the queue authority of one station, for all its kiosks and counters.

- `front`: the sync-v1 server the station's kiosks talk to (the district's server code over the
  station's own SQLite file, with the station's hooks);
- `upstream`: the worker that sends everything up to the district in commit order and brings the
  catalogue down;
- `service`: the one process: front, counter console, hall display, window rating pads.
"""
