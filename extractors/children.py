"""Helper processes (LibreOffice, the OCR helper) that never outlive their caller.

`child_setup` runs in the child before exec: Linux SIGKILLs it when the parent dies, and its
address-space cap is CHILD_MAX_ADDRESS_SPACE instead of the worker's (sized for Python).
`kill_group` SIGKILLs the child's whole process group (the child is started with
`start_new_session=True`), whatever it started too.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import resource
import signal
import subprocess
import sys

PR_SET_PDEATHSIG = 1
CHILD_MAX_ADDRESS_SPACE = 4 << 30  # bytes of address space LibreOffice (or the OCR helper) may map


def kill_group(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL the process group `process` leads (nothing when it is gone already)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


def child_setup() -> None:
    """In the child, before exec: die with the parent; replace the parent's address-space cap
    (a worker's RLIMIT_AS is sized for Python; LibreOffice and ONNX Runtime map much more than
    they use) by CHILD_MAX_ADDRESS_SPACE."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    with contextlib.suppress(ValueError, OSError):
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        cap = CHILD_MAX_ADDRESS_SPACE if hard == resource.RLIM_INFINITY else min(hard, CHILD_MAX_ADDRESS_SPACE)
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


__all__ = ["CHILD_MAX_ADDRESS_SPACE", "child_setup", "kill_group"]
