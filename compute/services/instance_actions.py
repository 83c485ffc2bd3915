"""Nova's instance action log: one action per API request, events per step (conductor, compute)."""

from django.utils import timezone

from compute.models import InstanceAction, InstanceActionEvent, InstanceFault


def record_action(ctx, instance, action, message=None):
    return InstanceAction.objects.create(instance=instance, action=action, request_id=ctx.request_id,
                                         user_id=ctx.user_id, project_id=ctx.project_id or instance.project_id,
                                         message=message)


def _action_id(instance_id, request_id):
    ids = InstanceAction.objects.filter(instance_id=instance_id).order_by("-id").values_list("id", "request_id")
    exact = ids.filter(request_id=request_id).first()
    if exact:
        return exact[0]
    latest = ids.first()
    return latest[0] if latest else None


def start_event(instance_id, request_id, event, host=None):
    action_id = _action_id(instance_id, request_id)
    if action_id is None:
        return None
    return InstanceActionEvent.objects.create(action_id=action_id, event=event, host=host)


def finish_event(instance_id, request_id, event, result="Success", host=None, traceback=None):
    """Close the open event of that name (or record a finished one); an error marks the action too."""
    action_id = _action_id(instance_id, request_id)
    if action_id is None:
        return
    now = timezone.now()
    changes = {"finish_time": now, "result": result, "traceback": traceback}
    if host:
        changes["host"] = host
    open_event = InstanceActionEvent.objects.filter(action_id=action_id, event=event, finish_time__isnull=True)
    open_id = open_event.order_by("-id").values_list("id", flat=True).first()
    if open_id is not None:
        InstanceActionEvent.objects.filter(id=open_id).update(**changes)
    else:
        InstanceActionEvent.objects.create(action_id=action_id, event=event, start_time=now, **changes)
    if result == "Error":
        InstanceAction.objects.filter(id=action_id).update(message="Error", updated_at=now)


def add_fault(instance, message, details="", code=500, host=None):
    return InstanceFault.objects.create(instance=instance, message=str(message)[:255], details=details or "",
                                        code=code, host=host)
