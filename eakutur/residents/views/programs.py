"""The programs a resident can ask about, and one program's page: who, how much, what
papers, where to apply."""

from django.http import Http404
from django.views.generic import TemplateView

from ..public import (
    programs_by_kind,
    public_program,
    public_programs,
    sessions_for_program,
)
from ..selectors import village_helpers
from ._common import CommunePageMixin, VillageMixin


class ProgramListView(CommunePageMixin, TemplateView):
    template_name = "residents/program_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["groups"] = programs_by_kind(public_programs())
        return context


class ProgramDetailView(VillageMixin, TemplateView):
    template_name = "residents/program_detail.html"

    def get_context_data(self, **kwargs):
        program = public_program(self.kwargs["code"])
        if program is None:
            raise Http404
        context = super().get_context_data(**kwargs)
        context["program"] = program
        context["guide"] = program.guide
        context["sessions"] = sessions_for_program(program, self.commune, self.village)
        context["helpers"] = village_helpers(self.village)
        return context
