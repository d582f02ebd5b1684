"""The SLA kernel: contract language, business calendars, clocks, measures, reports, credits.

Pure Python with no Django import, deterministic: the command line and the live service both call it,
so a clock computed offline from an exported event log equals the one the service shows.
Inside the kernel, instants are integer seconds since the Unix epoch (UTC); datetimes exist only at the
edges (parsing and printing).
"""
