// Each test file removes the folders its runs and tests made, once its last test is done.
import { afterAll } from '@jest/globals'
import { removeScratchFolders } from '../../harness/runner.ts'

afterAll(removeScratchFolders)
