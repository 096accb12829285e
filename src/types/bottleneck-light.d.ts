// bottleneck ships types for its main build only. Its light build, the one the Octokit plugins
// load, is the same class without Redis clustering.
declare module 'bottleneck/light.js' {
  import Bottleneck from 'bottleneck'
  export = Bottleneck
}
