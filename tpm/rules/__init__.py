"""The audit rules: one record per rule in `registry`, the checks one module per family."""
