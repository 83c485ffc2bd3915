from identity.api import render
from identity.api.views.common import IdentityView, no_content
from identity.services import groups


class GroupsView(IdentityView):
    def get(self, request):
        return self.listing("groups", groups.list_groups(self.ctx, **self.filters("name", "domain_id")),
                            render.group)

    def post(self, request):
        return self.one("group", groups.create_group(self.ctx, **self.entity("group")), render.group, 201)


class GroupView(IdentityView):
    def get(self, request, group_id):
        return self.one("group", groups.get_group(self.ctx, group_id), render.group)

    def patch(self, request, group_id):
        group = groups.update_group(self.ctx, group_id, **self.entity("group", "group_id"))
        return self.one("group", group, render.group)

    def delete(self, request, group_id):
        groups.delete_group(self.ctx, group_id)
        return no_content()


class GroupUsersView(IdentityView):
    def get(self, request, group_id):
        return self.listing("users", groups.list_users_in_group(self.ctx, group_id), render.user,
                            f"groups/{group_id}/users")


class GroupMemberView(IdentityView):
    def put(self, request, group_id, user_id):
        groups.add_user_to_group(self.ctx, group_id, user_id)
        return no_content()

    def head(self, request, group_id, user_id):
        groups.check_user_in_group(self.ctx, group_id, user_id)
        return no_content()

    get = head

    def delete(self, request, group_id, user_id):
        groups.remove_user_from_group(self.ctx, group_id, user_id)
        return no_content()
