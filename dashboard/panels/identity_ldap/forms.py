from django import forms

from dashboard.forms import DashboardForm

# The options the form edits; the others (filters, enabled flags, paging) stay as stored.
OPTIONS = ["url", "user", "password", "suffix", "user_tree_dn", "user_objectclass", "user_id_attribute",
           "user_name_attribute", "user_mail_attribute", "group_tree_dn", "group_objectclass",
           "group_name_attribute", "group_member_attribute", "use_tls"]


class LdapForm(DashboardForm):
    url = forms.CharField(max_length=1024, label="URL", help_text="ldap://host:389, ldaps://host:636")
    user = forms.CharField(max_length=1024, required=False, label="Bind DN",
                           help_text="The account the searches bind as; empty: anonymous.")
    password = forms.CharField(max_length=1024, required=False, label="Bind password", strip=False,
                               widget=forms.PasswordInput(render_value=False),
                               help_text="Leave empty to keep the stored one.")
    suffix = forms.CharField(max_length=1024, label="Suffix")
    user_tree_dn = forms.CharField(max_length=1024, required=False, label="Users under",
                                   help_text="Default: ou=Users,<suffix>")
    user_objectclass = forms.CharField(max_length=255, label="User object class")
    user_id_attribute = forms.CharField(max_length=255, label="User ID attribute")
    user_name_attribute = forms.CharField(max_length=255, label="User name attribute")
    user_mail_attribute = forms.CharField(max_length=255, label="User e-mail attribute")
    group_tree_dn = forms.CharField(max_length=1024, required=False, label="Groups under",
                                    help_text="Default: ou=UserGroups,<suffix>")
    group_objectclass = forms.CharField(max_length=255, label="Group object class")
    group_name_attribute = forms.CharField(max_length=255, label="Group name attribute")
    group_member_attribute = forms.CharField(max_length=255, label="Group member attribute")
    use_tls = forms.BooleanField(required=False, label="StartTLS")
