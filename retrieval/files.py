"""Writing a file so that readers see the old version or the new one, never half of either.

The index, the embedding cache and the ingested-document manifest are all read by other
processes (a running bot) while they are rewritten; a crash or a full disk mid-write must leave
the previous file in place.
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Iterator


@contextmanager
def replaced_atomically(path: Path) -> Iterator[BinaryIO]:
    """Yield a handle to a temporary file beside `path`; on success it replaces `path`."""
    path = Path(path)
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")  # one per process: concurrent writers never collide
    try:
        with open(partial, "wb") as handle:
            yield handle
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, path)


def write_atomically(path: Path, data: bytes) -> None:
    with replaced_atomically(path) as handle:
        handle.write(data)
