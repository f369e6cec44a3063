"""Trainings and drills (docs/training.md).

Whoever reads the workers of an area reads its trainings and each worker's record there:
the attendee lists name workers, so nobody reads a training who could not read its
attendees. Community workers, medical workers (primary health staff train their community)
and supervisors record trainings and drills of their areas."""

VIEW_TRAINING = "training.view_training"
RECORD_TRAINING = "training.add_training"

GRANTS = {
    "system_admin": {VIEW_TRAINING},
    "supervisor": {VIEW_TRAINING, RECORD_TRAINING},
    "community_worker": {VIEW_TRAINING, RECORD_TRAINING},
    "medical_worker": {VIEW_TRAINING, RECORD_TRAINING},
    "grid_worker": {VIEW_TRAINING},
    "building_head": {VIEW_TRAINING},
    "group_leader": {VIEW_TRAINING},
}
