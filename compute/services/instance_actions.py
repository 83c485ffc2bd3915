"""Nova's instance action log: one action per API request, events per step (conductor, compute)."""

from django.utils import timezone

from compute.models import InstanceAction, InstanceActionEvent, InstanceFault


def record_action(ctx, instance, action, message=None):
    return InstanceAction.objects.create(instance=instance, action=action, request_id=ctx.request_id,
                                         user_id=ctx.user_id, project_id=ctx.project_id or instance.project_id,
                                         message=message)


def _action(instance_id, request_id):
    return (InstanceAction.objects.filter(instance_id=instance_id, request_id=request_id).order_by("-id").first()
            or InstanceAction.objects.filter(instance_id=instance_id).order_by("-id").first())


def start_event(instance_id, request_id, event, host=None):
    action = _action(instance_id, request_id)
    if action is None:
        return None
    return InstanceActionEvent.objects.create(action=action, event=event, host=host)


def finish_event(instance_id, request_id, event, result="Success", host=None, traceback=None):
    """Close the open event of that name (or record a finished one); an error marks the action too."""
    action = _action(instance_id, request_id)
    if action is None:
        return
    row = action.events.filter(event=event, finish_time__isnull=True).order_by("-id").first()
    now = timezone.now()
    if row is None:
        row = InstanceActionEvent(action=action, event=event, start_time=now)
    row.finish_time, row.result, row.traceback = now, result, traceback
    row.host = host or row.host
    row.save()
    if result == "Error":
        action.message = "Error"
        action.save(update_fields=["message", "updated_at"])


def add_fault(instance, message, details="", code=500, host=None):
    return InstanceFault.objects.create(instance=instance, message=str(message)[:255], details=details or "",
                                        code=code, host=host)
