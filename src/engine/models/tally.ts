// What inspecting the models took in a run, for one line at the end of the pull.

/** The time spent reading statistics, and validating, apart. */
export interface InspectionTally {
  models: number
  statisticsMs: number
  validated: number
  validationMs: number
}
