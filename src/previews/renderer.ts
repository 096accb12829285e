// Pictures of models, drawn by the machine's own Chromium (driven by puppeteer-core) from a page that
// a loopback server serves: three.js, its loaders and decoders, and one model at a time. The page
// may load nothing else: every other request is refused, so a model's URIs never leave the machine
// and never read a file. Each model has a time limit; the browser is closed on every way out, and
// killed when it does not close (docs/decisions/0017).

import { randomUUID } from 'node:crypto'
import { createReadStream } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Browser, HTTPRequest } from 'puppeteer-core'
import { errorMessage, PreviewError } from '../errors.js'
import { formatDuration } from '../quantities.js'
import { BrowserProcess } from './browser-process.js'
import { checkDrawable } from './model-limits.js'
import { contentTypeOf, viewerFilePath } from './viewer-files.js'

/** The picture's side, in pixels. */
export const PREVIEW_SIZE = 512
/** A picture with fewer drawn pixels than this share shows nothing a reviewer could judge. */
const MIN_DRAWN_SHARE = 0.001

export interface RendererOptions {
  /** The browser's executable: see findBrowser. */
  executablePath: string
  /** How long one model may take to load and draw. */
  modelTimeoutMs: number
  /** How long the browser may take to start and show the page. */
  startTimeoutMs: number
  /** Where the browser's temporary folder is made: the runner's, or the system's. */
  temporaryRoot: string
}

/** A checked picture: PNG bytes, and what it shows. */
export interface Preview {
  png: Buffer
  /** Pixels that differ from the background. */
  drawn: number
}

/** What the page's renderModel answers. */
interface PageAnswer {
  png: string
  drawn: number
  colours: number
  errors: string[]
}

/** What viewer.js adds to the page's global scope. */
interface ViewerGlobals {
  renderModel: (url: string, size: number) => Promise<PageAnswer>
  viewerReady?: boolean
}

/** Starts the browser and its page server; the caller closes it, on every path. */
export async function startRenderer(options: RendererOptions): Promise<PreviewRenderer> {
  const server = await ViewerServer.start()
  try {
    return new PreviewRenderer(await launchInTime(options), server, options)
  } catch (error) {
    await server.close()
    throw error
  }
}

/** The browser, within its start-up time; one that starts later is closed when it does. */
async function launchInTime(options: RendererOptions): Promise<BrowserProcess> {
  const launching = BrowserProcess.launch(options.executablePath, options.temporaryRoot)
  try {
    return await withTimeout(
      launching,
      options.startTimeoutMs,
      () =>
        new PreviewError(
          `the browser did not start within ${formatDuration(options.startTimeoutMs)}`
        )
    )
  } catch (error) {
    void launching.then(late => late.close()).catch(() => undefined)
    throw error
  }
}

/**
 * One page draws every model in turn: three.js, its light and its compiled shaders are made once,
 * and the page lets go of each model before the next. A model that fails may have hung the page's
 * renderer or lost its WebGL context: the browser is replaced, and the next model has a new page.
 */
export class PreviewRenderer {
  private page: Promise<DrawModel> | undefined

  constructor(
    private browserProcess: BrowserProcess,
    private readonly server: ViewerServer,
    private readonly options: RendererOptions
  ) {}

  /** The model's picture, checked; a PreviewError says why there is none. */
  async render(model: Buffer): Promise<Preview> {
    checkDrawable(model)
    const modelPath = this.server.offer(model)
    const page = (this.page ??= openViewer(this.browserProcess.browser, this.server.origin))
    try {
      const answer = await withTimeout(
        page.then(draw => draw(`${this.server.origin}${modelPath}`)),
        this.options.modelTimeoutMs,
        () =>
          new PreviewError(
            `drawing it took longer than ${formatDuration(this.options.modelTimeoutMs)}`,
            { timedOut: true }
          )
      )
      return checkedPicture(answer)
    } catch (error) {
      // The page may be hung, its WebGL context lost, or the browser gone: a model that failed
      // must not fail those after it, so the next is drawn in a new browser.
      await this.replaceBrowser(error)
      throw error instanceof PreviewError
        ? error
        : new PreviewError(`the browser failed while drawing it: ${errorMessage(error)}`)
    } finally {
      this.server.withdraw(modelPath)
    }
  }

  async close(): Promise<void> {
    try {
      await this.browserProcess.close()
    } finally {
      await this.server.close()
    }
  }

  /** The browser's process, which must not outlive close(). */
  get browserProcessId(): number | undefined {
    return this.browserProcess.processId
  }

  private async replaceBrowser(cause: unknown): Promise<void> {
    this.page = undefined
    await this.browserProcess.close()
    try {
      this.browserProcess = await launchInTime(this.options)
    } catch (error) {
      throw new PreviewError(
        `${errorMessage(cause)}; then the browser could not be started again: ${errorMessage(error)}`
      )
    }
  }
}

/** Draws the model at a URL on the viewer's page. */
type DrawModel = (modelUrl: string) => Promise<PageAnswer>

/** The viewer, loaded; it may ask for nothing but the server's files. */
async function openViewer(browser: Browser, origin: string): Promise<DrawModel> {
  const page = await browser.newPage()
  const pageErrors: string[] = []
  page.on('pageerror', error =>
    pageErrors.push(error instanceof Error ? error.message : String(error))
  )
  await page.setRequestInterception(true)
  page.on('request', request => allowOnlyViewer(request, origin))
  await page.goto(`${origin}/`, { waitUntil: 'load' })
  await page.waitForFunction(() => (globalThis as unknown as ViewerGlobals).viewerReady === true)
  const draw = async (modelUrl: string): Promise<PageAnswer> => {
    pageErrors.length = 0
    try {
      return await page.evaluate(
        (url, size) => (globalThis as unknown as ViewerGlobals).renderModel(url, size),
        modelUrl,
        PREVIEW_SIZE
      )
    } catch (error) {
      const reason = pageErrors[0] ?? (error instanceof Error ? error.message : String(error))
      throw new PreviewError(`the viewer could not load it: ${reason}`)
    }
  }
  return draw
}

function allowOnlyViewer(request: HTTPRequest, origin: string): void {
  const url = request.url()
  const local = url.startsWith(`${origin}/`) || url.startsWith('data:') || url.startsWith('blob:')
  void (local ? request.continue() : request.abort('blockedbyclient'))
}

/** A picture is shown only when something was drawn, in more than one colour, without an error. */
function checkedPicture(answer: PageAnswer): Preview {
  if (answer.errors.length > 0) {
    throw new PreviewError(`WebGL reported an error: ${answer.errors[0]}`)
  }
  if (answer.drawn < PREVIEW_SIZE * PREVIEW_SIZE * MIN_DRAWN_SHARE) {
    throw new PreviewError('the picture is blank: the model drew no pixels')
  }
  if (answer.colours <= 1) throw new PreviewError('the picture is a single colour')
  const prefix = 'data:image/png;base64,'
  if (!answer.png.startsWith(prefix)) throw new PreviewError('the page gave no PNG')
  return { png: Buffer.from(answer.png.slice(prefix.length), 'base64'), drawn: answer.drawn }
}

async function withTimeout<T>(work: Promise<T>, ms: number, error: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(error()), ms)
  })
  try {
    return await Promise.race([work, expired])
  } finally {
    clearTimeout(timer)
  }
}

/**
 * The page's server, on loopback: the viewer's files by their fixed paths, and each model under
 * a path of its own while it is drawn. Anything else is 404.
 */
class ViewerServer {
  private constructor(
    private readonly server: http.Server,
    readonly origin: string,
    private readonly models: Map<string, Buffer>
  ) {}

  static async start(): Promise<ViewerServer> {
    const models = new Map<string, Buffer>()
    const server = http.createServer((request, response) => serve(request, response, models))
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    return new ViewerServer(server, `http://127.0.0.1:${port}`, models)
  }

  /** The path the page fetches the model at. */
  offer(model: Buffer): string {
    const modelPath = `/model/${randomUUID()}`
    this.models.set(modelPath, model)
    return modelPath
  }

  withdraw(modelPath: string): void {
    this.models.delete(modelPath)
  }

  close(): Promise<void> {
    this.server.closeAllConnections()
    return new Promise(resolve => this.server.close(() => resolve()))
  }
}

function serve(
  request: http.IncomingMessage,
  response: http.ServerResponse,
  models: ReadonlyMap<string, Buffer>
): void {
  const urlPath = new URL(request.url ?? '/', 'http://viewer').pathname
  const model = models.get(urlPath)
  if (request.method === 'GET' && model) {
    response.writeHead(200, { 'content-type': 'application/octet-stream' }).end(model)
    return
  }
  const file = request.method === 'GET' ? viewerFileOrNone(urlPath) : undefined
  if (!file) {
    response.writeHead(404).end()
    return
  }
  response.writeHead(200, { 'content-type': contentTypeOf(file) })
  createReadStream(file).pipe(response)
}

/** A file the page may have, or none: a path that cannot be resolved is not served. */
function viewerFileOrNone(urlPath: string): string | undefined {
  try {
    return viewerFilePath(urlPath)
  } catch {
    return undefined
  }
}
