"""The one error the user is told about in one line with exit 2 (a usage error).

It sits at the bottom (it imports nothing), so that every layer can raise it: the loader for a
missing project, the audit for a bad rule code, the diagrams for a bad `--silo`, the pipeline
for a response file that does not exist. The entry point turns it into `tpm: error: ...`.
"""

from __future__ import annotations


class UsageError(Exception):
    """A one-line error for the user: exit 2."""
