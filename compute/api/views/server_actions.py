"""POST /servers/{id}/action: one body key names the action, as Nova's API does."""

from rest_framework.response import Response

from compute import services
from compute.api import render
from compute.api.views.base import ComputeView
from core.exceptions import BadRequest

SIMPLE = {"os-stop": "stop", "os-start": "start", "pause": "pause", "unpause": "unpause", "suspend": "suspend",
          "resume": "resume"}


class ServerActionView(ComputeView):
    def post(self, request, server_id):
        body = self.body()
        if len(body) != 1:
            raise BadRequest("There is not exactly one action in the request body.")
        (name, value), = body.items()
        ctx = self.ctx
        if name in SIMPLE:
            services.host_action(ctx, server_id, SIMPLE[name])
            return Response(status=202)
        if name == "reboot":
            if not isinstance(value, dict):
                raise BadRequest("reboot needs an object with 'type'")
            services.reboot(ctx, server_id, value.get("type"))
            return Response(status=202)
        if name == "lock":
            services.set_lock(ctx, server_id, True)
            return Response(status=202)
        if name == "unlock":
            services.set_lock(ctx, server_id, False)
            return Response(status=202)
        if name == "rebuild":
            value = self._object(name, value)
            instance, password = services.rebuild(ctx, server_id, self.member("imageRef", value),
                                                  name=value.get("name"), metadata=value.get("metadata"),
                                                  admin_pass=value.get("adminPass"))
            instance = services.get_server(ctx, server_id)
            return Response({"server": {**render.server(request, instance, ctx.is_admin), "adminPass": password}},
                            status=202)
        if name == "resize":
            value = self._object(name, value)
            services.resize(ctx, server_id, self.member("flavorRef", value))
            return Response(status=202)
        if name == "confirmResize":
            services.confirm_resize(ctx, server_id)
            return Response(status=204)
        if name == "revertResize":
            services.revert_resize(ctx, server_id)
            return Response(status=202)
        if name == "migrate":
            value = value or {}
            if not isinstance(value, dict):
                raise BadRequest("migrate takes an object or null")
            services.migrate(ctx, server_id, host=value.get("host"))
            return Response(status=202)
        if name == "createImage":
            value = self._object(name, value)
            image_id = services.create_image(ctx, server_id, self.member("name", value), value.get("metadata"))
            location = f"{request.scheme}://{request.get_host()}/image/v2/images/{image_id}"
            return Response({"image_id": image_id}, status=202, headers={"Location": location})
        if name == "os-getConsoleOutput":
            value = value or {}
            if not isinstance(value, dict):
                raise BadRequest("os-getConsoleOutput takes an object")
            return Response({"output": services.console_output(ctx, server_id, value.get("length"))})
        raise BadRequest(f"Unsupported server action: {name}")

    @staticmethod
    def _object(name, value):
        if not isinstance(value, dict):
            raise BadRequest(f"Invalid input for {name}: it must be an object.")
        return value
