import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from inclusion.core.downloads import download

from . import services


@login_required
def my_data(request):
    """A page about the person's data, with a JSON download of it (?download=1)."""
    data = services.personal_data(request.user)
    if request.GET.get("download"):
        document = json.dumps(data, ensure_ascii=False, indent=2).encode()
        return download(document, "json", f"inclusion-toolkit-my-data-{timezone.localdate().isoformat()}.json")
    return render(request, "accounts/my_data.html", {"data": data})


@login_required
def delete_account(request):
    blocking = services.organisations_blocking_deletion(request.user)
    going = services.organisations_deleted_with(request.user)
    if request.method == "POST":
        if not request.user.check_password(request.POST.get("password", "")):
            messages.error(request, _("The password is not right."))
        else:
            try:
                user = request.user
                logout(request)
                services.delete_account(user)
            except services.AccountError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("Your account has been deleted."))
                return redirect("home")
    return render(request, "accounts/delete_account.html", {"blocking": blocking, "going": going})
