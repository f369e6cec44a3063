"""Vaccination of workers (docs/training.md).

A worker's doses and exemptions are health data: only those who manage workers (hold
`areas.add_worker` there: community workers, supervisors, system administrators) read and
record them. Supervisors and system administrators set their county's dose intervals."""

VIEW_VACCINATION = "vaccination.view_vaccination"
RECORD_VACCINATION = "vaccination.add_vaccination"
VIEW_EXEMPTION = "vaccination.view_vaccinationexemption"
VIEW_INTERVALS = "vaccination.view_doseinterval"
SET_INTERVALS = "vaccination.change_doseinterval"

READ = {VIEW_VACCINATION, VIEW_EXEMPTION, VIEW_INTERVALS}
GRANTS = {
    "system_admin": READ | {RECORD_VACCINATION, SET_INTERVALS},
    "supervisor": READ | {RECORD_VACCINATION, SET_INTERVALS},
    "community_worker": READ | {RECORD_VACCINATION},
}
