// Which models a run draws, and `previews: required`: a model without its pictures fails the step,
// naming the model and why; with `true`, or with every picture made, nothing fails.
import { describe, expect, it } from '@jest/globals'
import {
  missingRequiredPreviews,
  previewedModels,
  undeliveredRequiredPreviews
} from '../../src/action/previews.ts'
import type { DeliveryReport, FileRecord, PulledFile, PullReport } from '../../src/model.ts'
import { sizeChangeText } from '../../src/report/model-review.ts'

const previews = {
  items: [
    { path: 'assets/chair.glb', change: '', after: '/tmp/chair.after.png', problems: [] },
    {
      path: 'assets/lamp.glb',
      change: '',
      problems: ['after: the picture is blank: the model drew no pixels']
    }
  ]
}

describe('missingRequiredPreviews', () => {
  it('names each model without its pictures when previews are required', () => {
    expect(missingRequiredPreviews(previews, 'required')?.message).toBe(
      '1 model without a picture, and `previews` is required:\n- assets/lamp.glb: after: the picture is blank: the model drew no pixels'
    )
  })

  it('fails a required run without a browser, naming why', () => {
    const none = { items: [], unavailable: 'no Chrome or Chromium was found on the runner' }
    expect(missingRequiredPreviews(none, 'required')?.message).toBe(
      'No previews: no Chrome or Chromium was found on the runner'
    )
    expect(missingRequiredPreviews(none, 'true')).toBeUndefined()
  })

  it('lets the run go on with true, or when every picture was made', () => {
    expect(missingRequiredPreviews(previews, 'true')).toBeUndefined()
    expect(missingRequiredPreviews({ items: [previews.items[0]] }, 'required')).toBeUndefined()
  })
})

function record(path: string, format: string, entry: string | null = 'e1'): FileRecord {
  return { path, format, entry, storageId: null, bytes: 1024, sha256: 'a'.repeat(64) }
}

function pulled(file: FileRecord, source: PulledFile['source'] = 'download'): PulledFile {
  return { ...file, source, durationMs: 1 }
}

function report(files: PulledFile[], pruned: FileRecord[] = []): PullReport {
  return { files, pruned, failures: [], overBudget: [], notes: [] }
}

describe('previewedModels', () => {
  it('draws GLB and glTF files written or removed, before from the commit where one was replaced', () => {
    const changed = { ...pulled(record('a/chair.glb', 'glb')), before: { bytes: 512 } }
    const models = previewedModels(
      report(
        [
          changed,
          pulled(record('a/lamp.gltf', 'gltf')),
          pulled(record('a/same.glb', 'glb'), 'unchanged')
        ],
        [record('a/old.glb', 'glb'), record('a/old.obj', 'obj')]
      )
    )
    expect(models).toEqual([
      {
        path: 'a/chair.glb',
        drawn: 'a/chair.glb',
        before: 'recorded',
        change: '512 B → 1.0 KiB'
      },
      {
        path: 'a/lamp.gltf',
        drawn: 'a/lamp.gltf',
        before: 'if-committed',
        change: 'new: 1.0 KiB'
      },
      { path: 'a/old.glb', before: 'recorded', change: 'removed: 1.0 KiB' }
    ])
  })

  it("draws a USDZ file as its entry's GLB, unchanged or not, and lists one without a GLB", () => {
    const models = previewedModels(
      report([
        pulled(record('a/chair.usdz', 'usdz')),
        pulled(record('a/chair.glb', 'glb'), 'unchanged'),
        pulled(record('a/lamp.usdz', 'usdz', 'e2')),
        pulled(record('a/id.usdz', 'usdz', null))
      ])
    )
    expect(models[0]).toEqual({
      path: 'a/chair.usdz',
      drawn: 'a/chair.glb',
      before: 'none',
      change: 'new: 1.0 KiB'
    })
    for (const alone of models.slice(1)) {
      expect(alone.drawn).toBeUndefined()
      expect(alone.note).toContain('add `glb` to `formats` to see it')
    }
    expect(models).toHaveLength(3)
  })
})

describe('undeliveredRequiredPreviews', () => {
  const outcome = { changedFiles: [], previewsProblem: 'Could not commit the previews: protected' }

  it('fails a required run, once its models are delivered, when the pictures were not', () => {
    expect(undeliveredRequiredPreviews({ kind: 'done', outcome }, 'required')?.message).toBe(
      'Could not commit the previews: protected. The models were delivered; `previews` is required, so the step fails'
    )
  })

  it('leaves a run with true, or with its pictures delivered, alone', () => {
    expect(undeliveredRequiredPreviews({ kind: 'done', outcome }, 'true')).toBeUndefined()
    const delivered: DeliveryReport = { kind: 'done', outcome: { changedFiles: [] } }
    expect(undeliveredRequiredPreviews(delivered, 'required')).toBeUndefined()
  })
})

describe('sizeChangeText', () => {
  const facts = (bytes: number, triangles?: number) => ({
    bytes,
    ...(triangles === undefined ? {} : { model: { triangles } })
  })

  it('says new, removed, or before → after, in bytes and triangles', () => {
    expect(sizeChangeText(undefined, facts(1024, 1))).toBe('new: 1.0 KiB, 1 triangle')
    expect(sizeChangeText(facts(2048, 12_000), undefined)).toBe(
      'removed: 2.0 KiB, 12,000 triangles'
    )
    expect(sizeChangeText(facts(1024, 10), facts(2048, 20))).toBe(
      '1.0 KiB → 2.0 KiB, 10 → 20 triangles'
    )
    expect(sizeChangeText(facts(1024), facts(2048, 20))).toBe('1.0 KiB → 2.0 KiB')
  })
})
