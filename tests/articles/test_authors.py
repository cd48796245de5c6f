"""The author of an article is chosen from the newsroom, without the user directory."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission

from articles.models import Article
from portal.lib.roles import revoke
from tests.conftest import PASSWORD, logged_in, make_staff
from tests.factories import article_form, make_article, make_section

pytestmark = pytest.mark.django_db

ADD = "/admin/articles/article/add/"


@pytest.fixture
def newsroom(django_user_model, editor, chief):
    """Two editors with names, and people who are not the newsroom."""
    editor.first_name, editor.last_name = "Berta", "Albrecht"
    editor.save()
    chief.first_name, chief.last_name = "Carla", "Vogt"
    chief.save()
    make_staff(django_user_model, "anzeigen", "Anzeigen")
    make_staff(django_user_model, "aboservice", "Aboverwaltung")
    gone = make_staff(django_user_model, "ehemalig", "Redaktion")
    gone.is_active = False
    gone.save()
    django_user_model.objects.create_user("leserin", "leserin@example.org", PASSWORD)
    return editor, chief, gone


def author_choices(response):
    field = response.context["adminform"].form["author"]
    return [str(label) for value, label in field.field.choices if value]


def test_the_redaktion_chooses_authors_without_the_staff_directory(editor_client, newsroom):
    editor, chief, _ = newsroom

    assert editor_client.get("/admin/auth/user/").status_code == 403
    assert editor_client.get(f"/admin/auth/user/{chief.pk}/change/").status_code == 403
    response = editor_client.get(ADD)

    assert response.status_code == 200
    assert author_choices(response) == ["Berta Albrecht", "Carla Vogt"]
    html = response.content.decode()
    assert '<select name="author"' in html
    assert "@verwaltung-digital.example" not in html  # no one's e-mail address
    assert "/admin/auth/user/" not in html  # no link into the directory either


def test_the_redaktion_no_longer_holds_the_user_directorys_permission(editor, chief):
    assert not editor.has_perm("auth.view_user")
    assert not chief.has_perm("auth.view_user")


def test_the_author_autocomplete_that_needed_the_directory_is_closed(editor_client, newsroom):
    response = editor_client.get(
        "/admin/autocomplete/",
        {"app_label": "articles", "model_name": "article", "field_name": "author", "term": ""},
    )

    assert response.status_code == 403
    assert b"Vogt" not in response.content


def test_staff_with_the_right_of_their_own_are_authors_and_superusers_only_for_themselves(
    editor_client, newsroom, django_user_model
):
    admin = django_user_model.objects.create_superuser("admin", "admin@example.org", PASSWORD)
    freelancer = django_user_model.objects.create_user("frei", is_staff=True)
    freelancer.user_permissions.add(
        Permission.objects.get(content_type__app_label="articles", codename="add_article")
    )

    assert author_choices(editor_client.get(ADD)) == ["frei", "Berta Albrecht", "Carla Vogt"]
    admins_form = logged_in(admin).get(ADD).context["adminform"].form
    assert admins_form.initial["author"] == admin.pk
    assert "admin" in [str(label) for _, label in admins_form.fields["author"].choices]


def test_a_post_naming_someone_outside_the_newsroom_is_refused_and_keeps_the_text(
    editor_client, newsroom, django_user_model
):
    sales = django_user_model.objects.get(username="anzeigen")

    response = editor_client.post(
        ADD, article_form(make_section("Politik"), author=str(sales.pk), headline="Mein Text")
    )

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors["author"] == [
        "Bitte eine gültige Auswahl treffen. Dies ist keine gültige Auswahl."
    ]
    assert form["headline"].value() == "Mein Text"
    assert not Article.objects.exists()


def test_an_article_keeps_its_author_after_they_left_the_newsroom(chief_client, newsroom):
    editor, chief, gone = newsroom
    article = make_article(status=Article.Status.DRAFT, author=gone)

    response = chief_client.get(f"/admin/articles/article/{article.pk}/change/")
    assert "ehemalig" in author_choices(response)
    saved = chief_client.post(
        f"/admin/articles/article/{article.pk}/change/",
        article_form(
            article.section,
            slug=article.slug,
            author=str(gone.pk),
            loaded_version=str(article.version),
        ),
    )

    assert saved.status_code == 302
    article.refresh_from_db()
    assert article.author == gone
    assert "ehemalig" not in author_choices(chief_client.get(ADD))


@pytest.mark.parametrize("staff", [2, 30])
def test_the_article_form_lists_the_newsroom_in_a_constant_number_of_queries(
    editor_client, django_user_model, django_assert_max_num_queries, staff
):
    for n in range(staff):
        make_staff(django_user_model, f"redakteur{n}", "Redaktion")

    with django_assert_max_num_queries(6):
        response = editor_client.get(ADD)

    assert len(author_choices(response)) == staff + 1


def test_the_migration_takes_the_directory_back_from_existing_groups():
    """A database set up before: migration 0009 had given both groups auth.view_user."""
    view_user = Permission.objects.get(content_type__app_label="auth", codename="view_user")
    for name in ["Redaktion", "Chefredaktion", "Aboverwaltung"]:
        Group.objects.get_or_create(name=name)[0].permissions.add(view_user)
    migration = __import__(
        "articles.migrations.0021_newsroom_without_user_directory", fromlist=["USER_DIRECTORY"]
    )

    revoke(migration.USER_DIRECTORY)(apps, None)

    assert not Group.objects.get(name="Redaktion").permissions.filter(pk=view_user.pk).exists()
    assert not Group.objects.get(name="Chefredaktion").permissions.filter(pk=view_user.pk).exists()
    assert Group.objects.get(name="Aboverwaltung").permissions.filter(pk=view_user.pk).exists()
    assert Group.objects.get(name="Redaktion").permissions.filter(codename="add_article").exists()
