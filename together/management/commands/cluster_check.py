from django.core.management.base import BaseCommand, CommandError

from together import cluster
from together.cluster_check import kill_instance, report, run_check


class Command(BaseCommand):
    help = (
        "Load the running cluster (`make cluster`) with pages and form posts, kill one instance "
        "halfway, then check that nothing accepted was lost (together/cluster_check.py). "
        "Run through `make cluster-check`, which gives it the cluster's settings."
    )

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8080")
        parser.add_argument("--duration", type=float, default=60)
        parser.add_argument("--visitors", type=int, default=6)
        parser.add_argument("--kill", default="web-2", help="the instance to kill ('' for none)")
        parser.add_argument("--signal", choices=["KILL", "TERM"], default="KILL", help="how to kill it")
        parser.add_argument("--kill-after", type=float, default=25)
        parser.add_argument("--restart-after", type=float, default=15, help="seconds after the kill")

    def handle(self, *args, **options):
        name = options["kill"]
        config = cluster.settings_from_environment()
        kill = restart = None
        if name:
            if name not in cluster.INSTANCES:
                raise CommandError(f"--kill must name one of {', '.join(cluster.INSTANCES)}")
            pid = cluster.running_pid(name)
            if pid is None:
                raise CommandError(f"{name} is not running: start the cluster with `make cluster`")
            port = config["app_ports"][cluster.INSTANCES.index(name)]

            def kill():
                return f"{name} {kill_instance(pid, options['signal'])}"

            def restart():
                started = cluster.start_instance(name, port, cluster.cluster_env(config))
                return f"{name} (PID {started.pid})"

        outcome = run_check(
            base_url=options["url"].rstrip("/"),
            visitors=options["visitors"],
            duration=options["duration"],
            kill_after=options["kill_after"],
            restart_after=options["restart_after"],
            kill=kill,
            restart=restart,
        )
        report(outcome, self.stdout.write)
        if not outcome.passed:
            raise CommandError("The cluster check failed (see above).")
