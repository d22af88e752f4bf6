import { open } from 'node:fs/promises'

/**
 * Makes the creation, rename or removal of a file in `dir` survive a power cut: the file's own fsync
 * covers its contents, not the directory entry that names it.
 */
export async function syncDir (dir: string): Promise<void> {
  const fh = await open(dir, 'r')
  try {
    await fh.sync()
  } finally {
    await fh.close()
  }
}
