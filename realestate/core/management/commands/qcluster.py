"""``python manage.py qcluster``: django-q2's command, with a cluster that stops within
``Q_STOP_TIMEOUT`` seconds of a SIGTERM or Ctrl-C (see ``realestate.core.cluster``)."""

import os

from django.conf import settings
from django_q.management.commands import qcluster

from realestate.core.cluster import GracefulCluster


class Command(qcluster.Command):
    def handle(self, *args, **options):
        if not settings.SECRET_KEY:  # tasks are signed with it, as in django-q's command
            raise ValueError("SECRET_KEY is required to run the job cluster.")
        if options.get("cluster_name"):
            os.environ["Q_CLUSTER_NAME"] = options["cluster_name"]
        cluster = GracefulCluster()
        cluster.start()
        if options.get("run_once", False):
            cluster.stop()
            return
        cluster.wait()  # until a signal has stopped it
