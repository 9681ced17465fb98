"""The site's own 403 page: styled like every other page and in the reader's language."""

import pytest

from inclusion.organisations.models import Role

from ..factories import MembershipFactory


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "heading", "advice"),
    [
        ("lv", "Šo lapu jūs nevarat atvērt", "palūdziet kādam organizācijas īpašniekam"),
        ("en", "You cannot open this page", "ask an owner of the organisation"),
    ],
)
def test_editor_opening_an_owner_only_page_gets_the_sites_403_page(client, language, heading, advice):
    editor = MembershipFactory(role=Role.EDITOR)
    client.force_login(editor.user)

    response = client.get(f"/{language}/organisations/{editor.organisation.slug}/settings/")

    assert response.status_code == 403
    assert [template.name for template in response.templates][:2] == ["403.html", "core/base.html"]
    body = response.content.decode()
    assert f'<html lang="{language}"' in body
    assert '<header class="site-header">' in body
    assert f"<h1>{heading}</h1>" in body
    assert advice in body
    assert "403 Forbidden" not in body
