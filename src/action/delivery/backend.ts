import type { DeliveredFile } from '../../model.js'

/** What committing needs from git, whether through the GitHub API or the git CLI. */
export interface CommitBackend {
  /** The commit a branch points at, or undefined when the branch does not exist. */
  tip(branch: string): Promise<string | undefined>
  parents(commit: string): Promise<string[]>
  /** The text of a file in the tree of `commit`; undefined when it has none, or a larger one. */
  readText(commit: string, filePath: string, maxBytes: number): Promise<string | undefined>
  /** The files whose content differs from the tree of `commit`, in their order. */
  changedFiles(commit: string, files: readonly DeliveredFile[]): Promise<DeliveredFile[]>
  /** A new commit with `changes` on top of `parent`. */
  createCommit(parent: string, changes: readonly DeliveredFile[], message: string): Promise<string>
  /**
   * Points the branch at `commit`, creating it if needed. Returns false when the branch moved
   * meanwhile and the update was not a fast-forward; `force` is only for the action's own branch.
   */
  moveBranch(branch: string, commit: string, force: boolean): Promise<boolean>
}
