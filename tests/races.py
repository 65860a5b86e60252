"""Run callables at the same moment in threads, each on its own database connection."""

import threading

from django.db import connection


def race(*calls, timeout=60):
    """Start every call together (a barrier releases them at once); return, in order, what
    each returned or the exception it raised. Each thread closes its own connection."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=timeout)
            outcomes[index] = call()
        except Exception as error:  # noqa: BLE001 - handed back to the test
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(thread.is_alive() for thread in threads), "a racer is stuck"
    return outcomes


def split(outcomes, error_type):
    """(successes, failures of ``error_type``); anything else raised fails the test."""
    failures = [o for o in outcomes if isinstance(o, error_type)]
    unexpected = [o for o in outcomes if isinstance(o, BaseException) and o not in failures]
    assert not unexpected, unexpected
    return [o for o in outcomes if not isinstance(o, BaseException)], failures
