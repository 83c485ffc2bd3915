from identity.api import render
from identity.api.views.common import IdentityView, no_content
from identity.services import projects


class ProjectsView(IdentityView):
    def get(self, request):
        filters = self.filters("name", "domain_id", "parent_id", "enabled", "is_domain", "tags", "tags-any")
        if "tags-any" in filters:
            filters["tags_any"] = filters.pop("tags-any")
        return self.listing("projects", projects.list_projects(self.ctx, **filters), render.project)

    def post(self, request):
        return self.one("project", projects.create_project(self.ctx, **self.entity("project")), render.project, 201)


class ProjectView(IdentityView):
    def get(self, request, project_id):
        return self.one("project", projects.get_project(self.ctx, project_id), render.project)

    def patch(self, request, project_id):
        project = projects.update_project(self.ctx, project_id, **self.entity("project", "project_id"))
        return self.one("project", project, render.project)

    def delete(self, request, project_id):
        projects.delete_project(self.ctx, project_id)
        return no_content()


class UserProjectsView(IdentityView):
    def get(self, request, user_id):
        return self.listing("projects", projects.list_user_projects(self.ctx, user_id), render.project,
                            f"users/{user_id}/projects")
