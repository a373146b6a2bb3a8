from django.views.generic import TemplateView


class HomeView(TemplateView):
    template_name = "residents/base.html"


class ChooseVillageView(HomeView):
    pass
