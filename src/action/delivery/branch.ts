// Which branch to deliver to. Pure: the runner's variables and a way to ask for the default branch
// are passed in.

export interface RunRefs {
  /** GITHUB_REF: refs/heads/…, refs/tags/…, refs/pull/…/merge */
  ref?: string
  /** GITHUB_HEAD_REF: the source branch of a pull_request run. */
  headRef?: string
}

export async function resolveTargetBranch(
  input: string,
  refs: RunRefs,
  defaultBranch: () => Promise<string>
): Promise<string> {
  if (input) return input
  if (refs.headRef) return refs.headRef
  if (refs.ref?.startsWith('refs/heads/')) return refs.ref.slice('refs/heads/'.length)
  // A tag, a detached checkout or a merge ref: no branch to stay on.
  return defaultBranch()
}
