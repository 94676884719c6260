"""Window visits: slots, bookings and waiting lists: tables, repository, statuses."""
