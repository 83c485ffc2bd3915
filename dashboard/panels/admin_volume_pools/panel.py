from dashboard.registry import Panel

PANEL = Panel(slug="storage_pools", name="Storage Back Ends", group="admin", order=34, icon="bi-device-hdd")
