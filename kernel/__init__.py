"""The kernel: what every stage shares and nothing else. Records the stages exchange
(records.py), deterministic ids (ids.py), settings and the data directory's layout (config.py),
cross-process file locks (locks.py), typed errors (errors.py). It imports no other floor and has
no side effects on import."""
