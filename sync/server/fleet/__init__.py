"""Fleet health: the heartbeats of kiosks and station services, their state and alerts."""
