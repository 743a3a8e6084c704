"""One module of gap fillers per AWS service; each has ``HANDLERS`` for its types."""
