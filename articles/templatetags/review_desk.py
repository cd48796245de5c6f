"""The review desk on the back office's start page: what waits for the Chefredaktion,
and what came back to the person signed in."""

from django import template

from articles import review

register = template.Library()


@register.inclusion_tag("admin/articles/review_desk.html", takes_context=True)
def review_desk(context):
    user = context["request"].user
    if not user.has_perm("articles.change_article"):
        return {"show": False}
    publisher = review.may_publish(user)
    return {
        "show": True,
        "publisher": publisher,
        "queue": review.review_queue() if publisher else [],
        "returned": review.returned_to(user),
    }
