from dashboard.panels.identity_ldap import forms, tables
from dashboard.views.base import ModalFormView, TableView
from identity.backends.ldap import DEFAULTS
from identity.services import domain_configs


class IndexView(TableView):
    table_class = tables.DomainBackendsTable
    page_title = "LDAP Domains"

    def get_data(self):
        return domain_configs.list_domain_backends(self.request.ctx)


class ConfigureView(ModalFormView):
    form_class = forms.LdapForm
    page_title = "Configure LDAP"
    submit_label = "Save"
    success_message = "The domain now reads its users from {url}."

    def get_initial(self):
        stored, self.has_password = domain_configs.get_ldap_options(self.request.ctx, self.kwargs["domain_id"])
        initial = {k: v for k, v in DEFAULTS.items() if k in forms.OPTIONS and k != "password"}
        initial.update({k: v for k, v in stored.items() if k in forms.OPTIONS})
        return initial

    def perform(self, form):
        stored, _has_password = domain_configs.get_ldap_options(self.request.ctx, self.kwargs["domain_id"])
        options = {k: v for k, v in stored.items() if k not in forms.OPTIONS}
        options.update({k: v for k, v in form.cleaned_data.items() if v != "" or k == "user"})
        domain_configs.configure_ldap(self.request.ctx, self.kwargs["domain_id"], options)
