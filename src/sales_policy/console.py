"""The ``sales-policy`` command's process, set up before polars is imported.

This module imports nothing heavy: ``import sales_policy`` loads the package's modules on
first use (see ``sales_policy.__init__``), so the command can tune polars' allocator before
polars is loaded.  ``main`` (``sales_policy.cli``), which tests and embedders call, changes
nothing of the process; ``console`` sets it up and returns the exit status; ``run``, the
command's entry, also ends the process."""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from collections.abc import MutableMapping
from typing import NoReturn

from .prefetch import start as start_prefetch

#: The environment variable polars' allocator (jemalloc) reads its settings from, once, when
#: polars is loaded; polars' ``__init__`` puts its own defaults before what it holds, so that
#: what is set here overrides them.
ALLOCATOR_VARIABLE = "_RJEM_MALLOC_CONF"
#: The command's settings: one arena, not one per thread of polars' pool and another for
#: allocations over 8 MiB, and freed pages kept for 10 s instead of polars' 0.5 s (0 s for
#: those over 8 MiB).  A check allocates and frees column after column of a million rows;
#: with the defaults much of that memory went back to the kernel, or sat in another thread's
#: arena, and the next column took fresh pages.  A fresh page costs a fault and zeroing (~3-4
#: µs on the 2-core virtual machines we measure on): a million punches took ~212,000 faults,
#: ~170,000 with these (docs/performance.md).
ALLOCATOR_SETTINGS = "narenas:1,oversize_threshold:0,dirty_decay_ms:10000,muzzy_decay_ms:0"
#: the exit status when the reader of the output went away: a shell's for SIGPIPE (128 + 13)
EXIT_BROKEN_PIPE = 141
#: the exit status when interrupted (Ctrl-C): a shell's for SIGINT (128 + 2)
EXIT_INTERRUPTED = 130


def tune_allocator(environ: MutableMapping[str, str]) -> bool:
    """Give polars' allocator ``ALLOCATOR_SETTINGS``, before what the variable already holds,
    which jemalloc reads later and so wins where both set an option; nothing when polars is
    loaded already (too late then).  Whether the settings were given."""
    if "polars" in sys.modules:
        return False
    given = environ.get(ALLOCATOR_VARIABLE)
    environ[ALLOCATOR_VARIABLE] = f"{ALLOCATOR_SETTINGS},{given}" if given else ALLOCATOR_SETTINGS
    return True


def console() -> int:
    """The ``sales-policy`` command: ``main`` in a process of its own.

    The allocator is tuned first (``tune_allocator``).  Then the imports are made without the
    cyclic garbage collector, and frozen: the process runs one command and exits, so what its
    imports made (modules, classes) lives to the end, and frozen it is no longer walked by each
    full pass of the collector (on a month's check such a pass cost ~40 ms).  A check's input
    files are read meanwhile (``sales_policy.prefetch``)."""
    tune_allocator(os.environ)
    prefetch = None
    try:
        gc.disable()  # nor while importing: what the imports make is kept, not garbage (~15 ms)
        try:
            # a check's files are read while the rest is imported and the policy loaded
            prefetch = start_prefetch(sys.argv[1:])
            from .cli import main
        finally:
            gc.freeze()
            gc.enable()
        return main(prefetch=prefetch)
    except BrokenPipeError:  # the reader went away (``| head``): stop quietly, as pipes do
        # what is left in standard output's buffer goes nowhere, not into another error
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except KeyboardInterrupt:
        sys.stderr.write("\nsales-policy: interrupted\n")
        return EXIT_INTERRUPTED
    finally:
        if prefetch is not None:  # read but not used (another command line, an error)
            prefetch.discard()


def run() -> NoReturn:
    """The command's entry (the ``sales-policy`` script, ``python -m sales_policy``):
    ``console``, then its output flushed and the process ended at once (``os._exit``).

    By then every file the command writes is closed (``outputs.replacing``) and standard
    output flushed; what an ordinary exit would add is undoing what the process built, object
    by object (the tables, the modules, polars' threads and memory): ~10 ms of a month's
    check, for a process about to be gone.  A reader gone by the final flush is the broken
    pipe ``console`` ends quietly on."""
    status = console()
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        status = EXIT_BROKEN_PIPE
    except (OSError, ValueError):  # standard output closed or failing: not this command's
        pass
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.flush()
    os._exit(status)
