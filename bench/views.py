from django.shortcuts import render

from articles.models import Section


def floor(request):
    """The framework floor: one small query, one small template, no middleware work of ours."""
    return render(request, "bench/floor.html", {"sections": list(Section.objects.all()[:10])})
