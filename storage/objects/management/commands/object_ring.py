from django.core.management.base import BaseCommand, CommandError

from storage.objects import conf, ring as ring_module
from storage.objects.ring import Ring, RingError


class Command(BaseCommand):
    help = "Show, build and rebalance the object ring (devices are directories standing for disks)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("show")
        create = sub.add_parser("create", help="a new empty ring")
        create.add_argument("--part-power", type=int, default=conf.PART_POWER)
        create.add_argument("--replicas", type=int, default=conf.REPLICAS)
        add = sub.add_parser("add")
        add.add_argument("name")
        add.add_argument("--zone", type=int, required=True)
        add.add_argument("--weight", type=float, default=100)
        add.add_argument("--path", default=None, help="the device directory (default: devices dir/name)")
        add.add_argument("--driver", default="local")
        remove = sub.add_parser("remove")
        remove.add_argument("name")
        weight = sub.add_parser("set-weight")
        weight.add_argument("name")
        weight.add_argument("weight", type=float)
        status = sub.add_parser("set-status", help="mark a device up or down")
        status.add_argument("name")
        status.add_argument("status", choices=["up", "down"])
        sub.add_parser("rebalance")

    def handle(self, *args, **options):
        action = options["action"]
        path = conf.ring_path()
        try:
            if action == "create":
                if path.exists():
                    raise CommandError(f"{path} exists")
                Ring(part_power=options["part_power"], replicas=options["replicas"]).save(path)
                self.stdout.write(f"created {path}")
                return
            ring = ring_module.load(path)
            if action == "add":
                device_path = options["path"] or str(conf.devices_dir() / options["name"])
                if options["driver"] == "local":
                    from pathlib import Path

                    Path(device_path).mkdir(parents=True, exist_ok=True)
                ring.add_device(options["name"], options["zone"], options["weight"], device_path,
                                options["driver"])
            elif action == "remove":
                ring.remove_device(options["name"])
            elif action == "set-weight":
                ring.find(options["name"]).weight = options["weight"]
            elif action == "set-status":
                ring.find(options["name"]).status = options["status"]
            elif action == "rebalance":
                counts = ring.rebalance()
                self.stdout.write("partitions per device: " + ", ".join(
                    f"{ring.device(i).name}={n}" for i, n in sorted(counts.items())))
            if action != "show":
                ring.save(path)
            self._show(ring)
        except RingError as error:
            raise CommandError(str(error))

    def _show(self, ring):
        self.stdout.write(f"{conf.ring_path()}: {ring.partitions} partitions, {ring.replicas} replicas")
        counts = {}
        for assigned in ring.assignments:
            for device_id in assigned:
                counts[device_id] = counts.get(device_id, 0) + 1
        for device in ring.devices:
            self.stdout.write(f"  {device.id:3d} {device.name:10s} zone={device.zone} weight={device.weight:g} "
                              f"status={device.status} driver={device.driver} parts={counts.get(device.id, 0)} "
                              f"path={device.path}")
