from rest_framework.response import Response

from identity.api import render
from identity.api.views.common import IdentityView, no_content
from identity.services import users


class UsersView(IdentityView):
    def get(self, request):
        return self.listing("users", users.list_users(self.ctx, **self.filters("name", "domain_id", "enabled")),
                            render.user)

    def post(self, request):
        return self.one("user", users.create_user(self.ctx, **self.entity("user")), render.user, 201)


class UserView(IdentityView):
    def get(self, request, user_id):
        return self.one("user", users.get_user(self.ctx, user_id), render.user)

    def patch(self, request, user_id):
        return self.one("user", users.update_user(self.ctx, user_id, **self.entity("user", "user_id")), render.user)

    def delete(self, request, user_id):
        users.delete_user(self.ctx, user_id)
        return no_content()


class UserPasswordView(IdentityView):
    def post(self, request, user_id):
        body = self.entity("user")
        users.change_password(self.ctx, user_id, original_password=body.get("original_password"),
                              password=body.get("password"))
        return Response(status=204)


class UserGroupsView(IdentityView):
    def get(self, request, user_id):
        return self.listing("groups", users.list_user_groups(self.ctx, user_id), render.group,
                            f"users/{user_id}/groups")
