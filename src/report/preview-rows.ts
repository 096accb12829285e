// The rows of the previews' table, as plain text for the summary and the pull request to escape:
// what stands in for a picture that is not there, and how a model drawn through another is named.

import type { DeliveryReport, LinkedPreview, PreviewItem, Previews } from '../model.js'

export type PictureSide = 'before' | 'after'

/** Why a side has no picture: its problem, or for "after" the note; undefined when none is due. */
export function missingPictureText(item: PreviewItem, side: PictureSide): string | undefined {
  const problem = item.problems.find(text => text.startsWith(`${side}:`))
  if (problem !== undefined) return problem
  return side === 'after' ? item.note : undefined
}

/** The model's path, and the GLB drawn for it when it is a USDZ file. */
export function modelCaption(item: PreviewItem): string {
  return item.drawnFrom === undefined ? item.path : `${item.path} (drawn as ${item.drawnFrom})`
}

/** The models' pictures as delivery left them: linked where it committed them. */
export function deliveredPreviews(
  previews: Previews,
  delivery: DeliveryReport
): readonly LinkedPreview[] {
  return (delivery.kind === 'done' ? delivery.outcome.previews : undefined) ?? previews.items
}

/** The URL of a side's picture, once committed. */
export function pictureUrl(item: LinkedPreview, side: PictureSide): string | undefined {
  return side === 'before' ? item.beforeUrl : item.afterUrl
}
