// The collection the demo and the tests pull from: one entry of each kind the API describes.

import type { EntrySpec } from './server.ts'

export const DESK_LAMP = '5d1e7c1a-0b7e-4a59-9a5e-2f1b8c9d0e11'
export const ROBOT = '0c71e96a-3da2-47f7-8c71-566eff40b81e'
export const CHAIR = 'c4a19f02-7d55-4a8e-9b61-3f0e2d1c4b7a'
export const FLOOR_PLAN = '9e2b7c41-1f3a-4d6b-8c5e-7a0f1b2c3d4e'

export function sampleEntries(): EntrySpec[] {
  return [
    {
      id: DESK_LAMP,
      filename: 'Desk Lamp.obj',
      tags: ['lighting', 'release'],
      material: 'Desk Lamp.mtl',
      textures: ['Lamp_BaseColor.png']
    },
    { id: ROBOT, filename: 'Robot.glb', tags: ['release'], derived: ['usdz'] },
    { id: CHAIR, filename: 'Chair.fbx', tags: ['furniture'], derived: ['glb'] },
    {
      id: FLOOR_PLAN,
      filename: 'Floor Plan.stl',
      tags: ['furniture'],
      derived: [],
      convertible: ['glb', 'obj']
    }
  ]
}
