"""Development tools, not imported by the API or the worker: the embedded Redis and starting the
processes on loopback for ``make run``, the tests and the bench."""
