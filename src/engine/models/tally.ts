// What inspecting the models took in a run, for one line at the end of the pull.

/** The time spent reading statistics, and validating, apart. */
export interface InspectionTally {
  models: number
  /** Summed over the models. */
  statisticsMs: number
  validated: number
  /** The time during which the validator had a file: files validated together count once. */
  validationMs: number
}
