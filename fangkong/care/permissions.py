"""Services for residents: grid and community workers read, record, dispatch and follow the
requests of their areas and deal with self-reports; supervisors follow them and keep the
providers and (the county) the fever clinics; a provider's own worker or volunteer delivers
the requests given to them (`DELIVER`, narrowed to those requests in `selectors`)."""

from fangkong.areas.models import RoleKind

VIEW = "care.view_servicerequest"
ADD = "care.add_servicerequest"
CHANGE = "care.change_servicerequest"  # dispatch, cancel, confirm on the resident's behalf
DELIVER = "care.deliver_servicerequest"
VIEW_PROVIDERS = "care.view_provider"
KEEP_PROVIDERS = "care.change_provider"
VIEW_CLINICS = "care.view_feverclinic"
KEEP_CLINICS = "care.change_feverclinic"
VIEW_REPORTS = "care.view_symptomreport"
HANDLE_REPORTS = "care.change_symptomreport"

FOLLOW = {VIEW, ADD, CHANGE, VIEW_PROVIDERS, VIEW_REPORTS, HANDLE_REPORTS}

GRANTS = {
    **{kind.value: {VIEW_CLINICS, DELIVER} for kind in RoleKind},
    "system_admin": FOLLOW | {DELIVER, KEEP_PROVIDERS, VIEW_CLINICS, KEEP_CLINICS},
    "supervisor": FOLLOW | {DELIVER, KEEP_PROVIDERS, VIEW_CLINICS, KEEP_CLINICS},
    "community_worker": FOLLOW | {DELIVER, KEEP_PROVIDERS, VIEW_CLINICS},
    "grid_worker": FOLLOW | {DELIVER, VIEW_CLINICS},
    "medical_worker": {VIEW_REPORTS, HANDLE_REPORTS, VIEW_CLINICS, DELIVER},
}
