"""Image members: the projects a shared image is offered to. Adding a member grants the project the
right to see the image (a django-guardian grant); the member accepts or rejects it for its listings."""

from django.db import transaction

from core import sharing
from core.exceptions import BadRequest, Conflict, Forbidden, NotFound, RequestEntityTooLarge
from core.policy import check, enforce
from storage.images.models import ImageMember
from storage.images.services.images import VIEW, _target, get_image

MAX_MEMBERS = 128


def _is_owner_or_admin(ctx, image):
    return ctx.is_admin or (image.owner and image.owner == ctx.project_id)


def add_member(ctx, image_id, member_id):
    if not isinstance(member_id, str) or not member_id.strip() or len(member_id) > 255:
        raise BadRequest("member must be a project id (a non-empty string).")
    with transaction.atomic():
        image = get_image(ctx, image_id, for_update=True)
        if not _is_owner_or_admin(ctx, image):
            raise Forbidden("Only the image owner can add members.")
        enforce(ctx, "image:add_member", _target(image))
        if image.visibility != "shared":
            raise Forbidden(f"Only shared images have members (this one is {image.visibility}).")
        if ImageMember.objects.filter(image=image, member=member_id).exists():
            raise Conflict(f"Member {member_id} already exists for image {image.id}.")
        if ImageMember.objects.filter(image=image).count() >= MAX_MEMBERS:
            raise RequestEntityTooLarge(f"Maximum number of image members ({MAX_MEMBERS}) exceeded.")
        member = ImageMember.objects.create(image=image, member=member_id)
        sharing.grant(VIEW, image, member_id)
    return member


def list_members(ctx, image_id):
    image = get_image(ctx, image_id)
    enforce(ctx, "image:get_members", _target(image))
    if image.visibility != "shared":
        raise Forbidden(f"Only shared images have members (this one is {image.visibility}).")
    members = ImageMember.objects.filter(image=image).order_by("created_at", "id")
    if not _is_owner_or_admin(ctx, image):
        members = members.filter(member=ctx.project_id or "")
    return list(members)


def get_member(ctx, image_id, member_id):
    image = get_image(ctx, image_id)
    enforce(ctx, "image:get_members", _target(image))
    if not _is_owner_or_admin(ctx, image) and member_id != ctx.project_id:
        raise NotFound(f"Member {member_id} not found for image {image.id}.")
    member = ImageMember.objects.filter(image=image, member=member_id).first()
    if member is None:
        raise NotFound(f"Member {member_id} not found for image {image.id}.")
    return member


def update_member(ctx, image_id, member_id, status):
    if status not in ImageMember.STATUSES:
        raise BadRequest(f"Invalid status: {status!r}; one of {', '.join(ImageMember.STATUSES)}.")
    with transaction.atomic():
        image = get_image(ctx, image_id, for_update=True)
        member = ImageMember.objects.select_for_update().filter(image=image, member=member_id).first()
        if member is None:
            raise NotFound(f"Member {member_id} not found for image {image.id}.")
        if not check(ctx, "image:modify_member", {"member_id": member_id, **_target(image)}):
            raise Forbidden("Only the member project itself may accept or reject an image.")
        member.status = status
        member.save(update_fields=["status", "updated_at"])
    return member


def delete_member(ctx, image_id, member_id):
    with transaction.atomic():
        image = get_image(ctx, image_id, for_update=True)
        if not _is_owner_or_admin(ctx, image):
            raise Forbidden("Only the image owner can remove members.")
        enforce(ctx, "image:delete_member", _target(image))
        deleted, _ = ImageMember.objects.filter(image=image, member=member_id).delete()
        if not deleted:
            raise NotFound(f"Member {member_id} not found for image {image.id}.")
        sharing.revoke(VIEW, image, member_id)
