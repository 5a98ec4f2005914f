import { HttpError } from '../errors'

/**
 * The request body, read chunk by chunk and refused with 413 as soon as it passes `maxBytes`, so
 * a body sent without `Content-Length` (chunked) is never buffered past the limit either.
 */
export async function readBodyWithin(request: Request, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get('content-length') ?? '0')
  if (declared > maxBytes) throw tooLarge(declared, maxBytes)
  if (!request.body) return new Uint8Array(0)

  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.byteLength
    if (total > maxBytes) {
      await reader.cancel().catch(() => {})
      throw tooLarge(total, maxBytes, 'at least ')
    }
    chunks.push(value)
  }
  if (chunks.length === 1) return chunks[0]!
  const body = new Uint8Array(total)
  let offset = 0
  for (const chunk of chunks) {
    body.set(chunk, offset)
    offset += chunk.byteLength
  }
  return body
}

/**
 * The largest compressed body whose content can still fit `maxBytes` once inflated: deflate may
 * store incompressible data, adding 5 bytes per stored block (16 KiB blocks at zlib's default
 * memory level) plus the gzip header and trailer. The limit itself is checked on the inflated
 * bytes (`decompressBody`), as OTLP asks; this bound only stops reading a hopeless upload early.
 */
export function maxCompressedBytes(maxBytes: number): number {
  return maxBytes + Math.ceil(maxBytes / 16_384) * 5 + 1024
}

function tooLarge(bytes: number, maxBytes: number, qualifier = ''): HttpError {
  return new HttpError(
    413,
    `request body of ${qualifier}${bytes} bytes exceeds the limit of ${maxBytes} bytes`,
  )
}
