"""Plain-Python helpers (no ORM): decisions and wording the models delegate to."""
