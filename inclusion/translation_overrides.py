"""Texts of Django and django-allauth that we translate ourselves.

Their Latvian catalogs have typos and wrong grammar ("spiedied šeit", "vismaz 8 rakstzīmei").
Listing the messages here puts them into locale/lv/LC_MESSAGES/django.po when `make messages`
runs; LOCALE_PATHS catalogs win over every installed app's, so our wording is what people see.
Nothing imports this module: the strings only need to be found by makemessages.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

# django-allauth: sign-in and sign-up pages.
gettext_noop("Sign In")
gettext_noop("Sign Up")
gettext_noop("If you have not created an account yet, then please %(link)ssign up%(end_link)s first.")
gettext_noop("Already have an account? Then please %(link)ssign in%(end_link)s.")
gettext_noop(
    "Forgotten your password? Enter your email address below, and we'll send you an email allowing you to reset it."
)
gettext_noop("Please contact us if you have any trouble resetting your password.")

# Django's password validators, shown on sign-up and password change.
ngettext_lazy(
    "This password is too short. It must contain at least %d character.",
    "This password is too short. It must contain at least %d characters.",
    "min_length",
)
ngettext_lazy(
    "Your password must contain at least %(min_length)d character.",
    "Your password must contain at least %(min_length)d characters.",
    "min_length",
)
gettext_noop("The password is too similar to the %(verbose_name)s.")
