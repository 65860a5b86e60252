"""The job cluster (django-q2) stops within ``Q_STOP_TIMEOUT`` seconds of a SIGTERM.

django-q2's own stop waits without a limit: its sentinel first lets the workers run every task
already fetched into the cluster's memory queue (up to ``queue_limit`` of them, each up to
``timeout`` seconds), then waits for the tasks in hand to finish. systemd and container
runtimes send SIGTERM and kill the cluster a little later, losing what it held. Here:

- the tasks fetched but not started go back to the broker at once;
- the tasks in hand get most of the time allowed to finish (their results are saved and
  acknowledged as usual); a worker still busy at the deadline is interrupted (its
  transaction rolls back) and puts its task back in the queue, so nothing is lost and
  nothing half-written;
- the sentinel, pusher and monitor take SIGTERM as the signal to stop gracefully too, as
  when systemd signals every process of the service.

``python manage.py qcluster`` (``core/management/commands/qcluster.py``) runs this cluster.
"""

from __future__ import annotations

import queue
import signal
import threading
import uuid
from multiprocessing import Value
from time import monotonic, sleep

from django import db
from django.conf import settings
from django.utils import timezone
from django_q import cluster as django_q_cluster
from django_q.brokers import get_broker
from django_q.brokers.orm import ORM
from django_q.conf import Conf, logger
from django_q.signals import post_execute_in_worker, pre_execute
from django_q.signing import SignedPackage
from django_q.status import Stat
from django_q.worker import worker

#: Seconds kept for putting interrupted tasks back and for the monitor to save results.
CLOSING_SECONDS = 3


def stop_timeout() -> float:
    return float(getattr(settings, "Q_STOP_TIMEOUT", 8))


def task_requeue(task: dict, broker=None) -> None:
    """Put a fetched task back in the queue, for this or another cluster to run."""
    broker = broker or get_broker()
    ack_id = task.get("ack_id")
    if isinstance(broker, ORM) and ack_id:
        # The row is still there, locked until the retry time: unlock it.
        broker.get_connection().filter(pk=ack_id).update(lock=timezone.now())
    else:
        package = {key: value for key, value in task.items() if key not in ("ack_id", "cluster")}
        broker.enqueue(SignedPackage.dumps(package))
        if ack_id:
            broker.acknowledge(ack_id)
    logger.warning(
        "Task %s (%s) put back in the queue: the cluster is stopping.",
        task.get("name"),
        task.get("func"),
    )


class WorkerStopped(BaseException):
    """Raised in a worker's task when the cluster stops before the task could finish:
    a ``BaseException``, so neither the task nor django-q's worker records it as a failure."""


def graceful_worker(task_queue, result_queue, timer, timeout):
    """django-q's worker, which on SIGTERM abandons the task in hand and re-queues it."""
    state = {"task": None}

    def started(sender, task, **kwargs):
        state["task"] = task

    def finished(sender, task, **kwargs):
        state["task"] = None

    def interrupted(signum, frame):
        if state["task"] is not None:  # between tasks, the STOP pill ends the worker
            raise WorkerStopped

    pre_execute.connect(started, weak=False)
    post_execute_in_worker.connect(finished, weak=False)
    signal.signal(signal.SIGTERM, interrupted)
    try:
        worker(task_queue, result_queue, timer, timeout)
    except WorkerStopped:
        # The task's atomic blocks have rolled back while the exception unwound it.
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        db.connections.close_all()
        task_requeue(state["task"])


class GracefulSentinel(django_q_cluster.Sentinel):
    """django-q's sentinel with a stop bounded in time (see the module's docstring)."""

    def start(self):
        signal.signal(signal.SIGTERM, self._stop_signalled)
        super().start()

    def _stop_signalled(self, signum, frame):
        # Setting a multiprocessing event inside a signal handler can deadlock with the
        # guard loop's wait on it: a thread sets it.
        threading.Thread(target=self.stop_event.set, daemon=True).start()

    def spawn_worker(self):
        # As django-q's spawn_worker, with the worker that re-queues its task on SIGTERM.
        timer = Value("f", -1)
        process = django_q_cluster.get_mp_context().Process(
            target=graceful_worker,
            name=f"Process-{uuid.uuid4().hex}",
            args=(self.task_queue, self.result_queue, timer, self.timeout),
        )
        process.daemon = Conf.DAEMONIZE_WORKERS
        process.timer = timer
        self.pool.append(process)
        process.start()

    def stop(self):
        deadline = monotonic() + stop_timeout()
        work_until = deadline - CLOSING_SECONDS
        Stat(self).save()
        logger.info("%s stopping cluster processes", self.name)
        self.event_out.set()
        self._wait(lambda: self.pusher.is_alive(), work_until)
        if self.pusher.is_alive():
            self.pusher.terminate()
            self.pusher.join(1)
        for task in self._drain():
            task_requeue(task, self.broker)
        for _worker in self.pool:
            self.task_queue.put("STOP")
        self.task_queue.close()
        self._wait(lambda: any(p.is_alive() for p in self.pool), work_until)
        busy = [p for p in self.pool if p.is_alive()]
        for process in busy:
            process.terminate()  # the worker re-queues its task (graceful_worker)
        self._wait(lambda: any(p.is_alive() for p in busy), deadline - CLOSING_SECONDS / 2)
        for process in busy:
            if process.is_alive():
                process.kill()
        self.pool = []
        self.result_queue.put("STOP")
        self.result_queue.close()
        logger.info("%s waiting for the monitor.", self.name)
        self._wait(lambda: self.monitor.is_alive(), deadline)
        if self.monitor.is_alive():
            self.monitor.terminate()
        Stat(self).save()

    def _drain(self) -> list[dict]:
        """The tasks fetched from the broker that no worker has started."""
        tasks = []
        while True:
            try:
                task = self.task_queue.get(timeout=0.2)
            except queue.Empty:
                return tasks
            if task != "STOP":
                tasks.append(task)

    def _wait(self, busy, until: float) -> None:
        while busy() and monotonic() < until:
            sleep(0.1)
            Stat(self).save()


class GracefulCluster(django_q_cluster.Cluster):
    """django-q's cluster running ``GracefulSentinel``, never waiting on it past the stop
    timeout (plus a little): a sentinel still alive then is killed."""

    def start(self) -> int:
        # Cluster.start builds its sentinel process from the module's ``Sentinel``.
        original = django_q_cluster.Sentinel
        django_q_cluster.Sentinel = GracefulSentinel
        try:
            return super().start()
        finally:
            django_q_cluster.Sentinel = original

    _stopping = False

    def sig_handler(self, signum, frame):
        # Ctrl-C in run.sh brings SIGINT and then its trap's SIGTERM: a second stop inside
        # the first one's event.set() would deadlock on the event's lock.
        if self._stopping:
            return
        self._stopping = True
        self.stop()

    def stop(self) -> bool:
        self._stopping = True
        if not self.sentinel or not self.sentinel.is_alive():
            return False
        logger.info("Q Cluster %s stopping.", self.name)
        self.stop_event.set()
        self.sentinel.join(stop_timeout() + 1)
        if self.sentinel.is_alive():
            logger.error("Q Cluster %s did not stop in time: killing it.", self.name)
            self.sentinel.kill()
            self.sentinel.join(1)
        logger.info("Q Cluster %s has stopped.", self.name)
        self.start_event = None
        self.stop_event = None
        return True

    def wait(self) -> None:
        """Block until the cluster has stopped (a signal stops it)."""
        while self.sentinel is not None and self.sentinel.is_alive():
            self.sentinel.join(1)
