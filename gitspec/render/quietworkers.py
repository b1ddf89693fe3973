"""Imported by the server that PDF workers are forked from (multiprocessing's forkserver preload),
before it serves: it, and every worker it forks, ignores Ctrl-C, which a terminal sends to each
process of the group (a worker starting up printed a KeyboardInterrupt traceback). The gitspec
process that started the workers stops them itself (gitspec.render.pdfpool)."""
import signal

signal.signal(signal.SIGINT, signal.SIG_IGN)
