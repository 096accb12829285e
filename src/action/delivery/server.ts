// Which GitHub the run is on: github.com (and GHE.com), or a GitHub Enterprise Server, where some
// services differ. Decided from GITHUB_SERVER_URL, as the @actions libraries decide it.

export function isEnterpriseServer(serverUrl: string | undefined): boolean {
  const hostname = new URL(serverUrl || 'https://github.com').hostname.toLowerCase()
  return (
    hostname !== 'github.com' && !hostname.endsWith('.ghe.com') && !hostname.endsWith('.localhost')
  )
}

/** The identity git commits are made under: GitHub's Actions bot, with the server's noreply address. */
export function botIdentity(serverUrl: string | undefined): Record<string, string> {
  const hostname = new URL(serverUrl || 'https://github.com').hostname.toLowerCase()
  const email =
    hostname === 'github.com'
      ? '41898282+github-actions[bot]@users.noreply.github.com'
      : `github-actions[bot]@users.noreply.${hostname}`
  return {
    GIT_AUTHOR_NAME: 'github-actions[bot]',
    GIT_AUTHOR_EMAIL: email,
    GIT_COMMITTER_NAME: 'github-actions[bot]',
    GIT_COMMITTER_EMAIL: email
  }
}
