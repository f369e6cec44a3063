"""The API of passes (出入证): list and read the passes of the caller's areas, issue household
passes to a community or compound in bulk or a work pass to a resident, revoke one, and verify a code shown at a gate.
Every write goes through the service the pages call."""

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.status import HTTP_201_CREATED

from fangkong.apibase import ScopedViewSet
from fangkong.areas.models import Area, Building
from fangkong.checkpoints import passes_services, work_passes
from fangkong.checkpoints.models import Checkpoint
from fangkong.checkpoints.passes import Pass
from fangkong.checkpoints.permissions import RECORD, REVOKE_PASS, VIEW_PASS
from fangkong.people.models import Resident


class PassSerializer(serializers.ModelSerializer):
    holder = serializers.SerializerMethodField(help_text="The household or the holder's name.")
    code = serializers.SerializerMethodField(help_text="The signed text of the pass's QR code.")

    class Meta:
        model = Pass
        fields = [
            "id",
            "kind",
            "household",
            "resident",
            "holder",
            "valid_from",
            "valid_until",
            "exits",
            "per_days",
            "return_minutes",
            "issued_at",
            "revoked_at",
            "code",
        ]
        read_only_fields = fields

    def get_holder(self, pass_) -> str:
        return passes_services.holder_label(pass_)

    def get_code(self, pass_) -> str:
        return passes_services.code_of(pass_)


class IssueSerializer(serializers.Serializer):
    area = serializers.CharField(help_text="The code of the community.")
    building = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="A compound of it, or none."
    )
    valid_from = serializers.DateField()
    valid_until = serializers.DateField()
    exits = serializers.IntegerField(help_text="Exits allowed per household in `per_days` days.")
    per_days = serializers.IntegerField()
    return_minutes = serializers.IntegerField(help_text="Back within so many minutes.")


class WorkPassSerializer(serializers.Serializer):
    resident = serializers.IntegerField(help_text="The resident who must go out for work.")
    valid_from = serializers.DateField()
    valid_until = serializers.DateField()
    reason = serializers.CharField(max_length=200, help_text="Why the person must go out.")
    exits = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="A quota of its own: exits…"
    )
    per_days = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="… in so many days."
    )
    return_minutes = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="Back within so many minutes."
    )


class IssuedSerializer(serializers.Serializer):
    issued = serializers.IntegerField(help_text="Passes issued (0 when all had one).")


class VerifySerializer(serializers.Serializer):
    checkpoint = serializers.IntegerField()
    code = serializers.CharField(max_length=200)


class PassViewSet(ScopedViewSet):
    """Passes of closed management in the caller's areas."""

    model = Pass
    read_permission = VIEW_PASS
    serializer_class = PassSerializer

    def get_queryset(self):
        return super().get_queryset().select_related("household__building", "resident")

    def found(self, model, perm, **lookup):
        record = model.objects.visible_to(self.request.user, perm).filter(**lookup).first()
        if record is None:
            raise exceptions.NotFound
        return record

    @extend_schema(request=IssueSerializer, responses=IssuedSerializer)
    @action(detail=False, methods=["post"])
    def issue(self, request):
        """Issue a household pass to every household of the community (or its compound)
        that has none starting on `valid_from`: sent again, it issues none."""
        body = self.write(IssueSerializer)
        area = self.found(Area, "areas.view_area", code=body.pop("area"))
        building = body.pop("building")
        if building is not None:
            building = self.found(Building, "areas.view_building", pk=building)
        issued = self.run_service(
            passes_services.issue_household_passes, area=area, building=building, **body
        )
        return Response({"issued": issued})

    @extend_schema(request=WorkPassSerializer, responses={201: PassSerializer})
    @action(detail=False, methods=["post"])
    def work(self, request):
        """Issue a work pass to a resident who must go out, with the reason and, if given, a
        quota of its own."""
        body = self.write(WorkPassSerializer)
        resident = self.found(Resident, "people.view_resident", pk=body.pop("resident"))
        pass_ = self.run_service(work_passes.issue_work_pass, resident=resident, **body)
        return self.answer(pass_, HTTP_201_CREATED)

    @extend_schema(request=None, responses=PassSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        """Revoke the pass: every gate refuses it from now on."""
        pass_ = self.get_object()
        if not request.user.has_perm(REVOKE_PASS, pass_):
            raise exceptions.PermissionDenied
        return self.answer(self.run_service(passes_services.revoke_pass, pass_=pass_))

    @extend_schema(request=VerifySerializer, responses=PassSerializer)
    @action(detail=False, methods=["post"])
    def verify(self, request):
        """Check a pass code shown at a checkpoint where the caller records passages: its
        signature, validity, revocation and household. A refused code answers 400 with
        the reason in Chinese."""
        body = self.write(VerifySerializer)
        checkpoint = self.found(Checkpoint, RECORD, pk=body["checkpoint"])
        pass_ = self.run_service(
            lambda actor, **kwargs: passes_services.pass_for_code(**kwargs),
            checkpoint=checkpoint,
            code=body["code"],
        )
        return self.answer(pass_)
