// `previews: required`: a model without its pictures fails the step, naming the model and why;
// with `true`, or with every picture made, nothing fails.
import { describe, expect, it } from '@jest/globals'
import { missingRequiredPreviews } from '../../src/action/previews.ts'

const previews = {
  items: [
    { path: 'assets/chair.glb', after: '/tmp/chair.after.png', problems: [] },
    { path: 'assets/lamp.glb', problems: ['after: the picture is blank: the model drew no pixels'] }
  ]
}

describe('missingRequiredPreviews', () => {
  it('names each model without its pictures when previews are required', () => {
    expect(missingRequiredPreviews(previews, 'required')?.message).toBe(
      '1 model without a picture, and `previews` is required:\n- assets/lamp.glb: after: the picture is blank: the model drew no pixels'
    )
  })

  it('lets the run go on with true, or when every picture was made', () => {
    expect(missingRequiredPreviews(previews, 'true')).toBeUndefined()
    expect(missingRequiredPreviews({ items: [previews.items[0]] }, 'required')).toBeUndefined()
  })
})
