// Every input of action.yml, named once here with the default action.yml gives it. The runner
// fills in action.yml's defaults; the code falls back to the same ones for a blank value, and a
// test holds the two files in step.

interface InputSpec {
  /** As action.yml writes it; absent for a required input. */
  default?: string
  required?: true
  /** Masked and redacted everywhere, in every encoding. */
  secret?: true
  /** A blank value means "off" rather than "the default". */
  blankIsOff?: true
}

export const INPUTS = {
  'api-key': { required: true, secret: true },
  email: { required: true, secret: true },
  'user-key': { required: true, secret: true },
  'secret-key': { default: '', secret: true },
  'api-url': { default: 'https://api.echo3D.com' },
  config: { default: '' },
  entries: { default: '' },
  tags: { default: '' },
  formats: { default: 'glb' },
  files: { default: '' },
  'convert-missing': { default: 'false' },
  timeout: { default: '20m' },
  retries: { default: '3' },
  concurrency: { default: '4' },
  'conversion-concurrency': { default: '16' },
  'max-file-size': { default: '2GiB' },
  shard: { default: '' },
  path: { default: 'assets/echo3d' },
  'file-name': { default: '{name}.{ext}' },
  cache: { default: 'true' },
  lockfile: { default: '{path}/echo3d.lock.json', blankIsOff: true },
  mode: { default: 'pull' },
  verify: { default: 'lockfile' },
  prune: { default: 'false' },
  budgets: { default: '' },
  optimize: { default: 'false' },
  previews: { default: 'false' },
  'previews-branch': { default: 'echo3d-assets/previews' },
  'unity-project': { default: '' },
  'budget-mode': { default: 'fail' },
  commit: { default: 'none' },
  branch: { default: '' },
  'commit-method': { default: 'api' },
  'commit-message': { default: 'Update echo3D assets' },
  // A workflow expression: only the runner can fill it in.
  'github-token': { default: '${{ github.token }}', secret: true, blankIsOff: true },
  'pull-request-branch': { default: '' },
  'pull-request-title': { default: 'Update echo3D assets' },
  'pull-request-labels': { default: '' },
  'pull-request-draft': { default: 'false' },
  'pull-request-reviewers': { default: '' },
  'pull-request-team-reviewers': { default: '' },
  'pull-request-assignees': { default: '' },
  'pull-request-milestone': { default: '' },
  'upload-artifact': { default: 'false' },
  'artifact-name': { default: 'echo3d-assets' },
  'retention-days': { default: '' }
} as const satisfies Record<string, InputSpec>

export type InputName = keyof typeof INPUTS

/** Reads an input's raw value, as the runner passes it; '' when it is not set. */
export type InputReader = (name: InputName) => string

export const SECRET_INPUTS = inputNames().filter(name => 'secret' in INPUTS[name])

export function inputNames(): InputName[] {
  return Object.keys(INPUTS) as InputName[]
}

/** The value the runner passes for an input the workflow leaves out. */
export function defaultOf(name: InputName): string {
  const spec: InputSpec = INPUTS[name]
  return spec.default ?? ''
}

/** An input's value, trimmed; a blank one is the input's default, unless blank means off. */
export type InputValue = (name: InputName) => string

export function withDefaults(read: InputReader): InputValue {
  return name => {
    const spec: InputSpec = INPUTS[name]
    const value = read(name).trim()
    if (value || spec.blankIsOff) return value
    return spec.default ?? ''
  }
}
