"""Bolt listeners, one module per kind of request. Each has a `register(app, ...)`.

Every listener acknowledges at once (Bolt runs with `process_before_response=True`, so the
acknowledgement is returned as soon as the ack function returns) and hands anything slow to
a lazy function, which Bolt runs on the app's `WorkerPool`.
"""
