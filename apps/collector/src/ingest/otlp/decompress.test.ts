import { deflateRawSync, deflateSync, gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { decompressBody } from './decompress'
import { expectDecodeError } from './expect-decode-error'

const MIB = 1024 * 1024
const PAYLOAD = new TextEncoder().encode('{"resourceSpans":[]}'.repeat(100))

describe('decompressBody', () => {
  it('should return the body itself when there is nothing to inflate', () => {
    expect(decompressBody(PAYLOAD, undefined, MIB)).toBe(PAYLOAD)
    expect(decompressBody(PAYLOAD, '', MIB)).toBe(PAYLOAD)
    expect(decompressBody(PAYLOAD, ' Identity ', MIB)).toBe(PAYLOAD)
  })

  it('should inflate gzip, x-gzip, zlib deflate and raw deflate bodies', () => {
    expect(decompressBody(gzipSync(PAYLOAD), 'gzip', MIB)).toEqual(Buffer.from(PAYLOAD))
    expect(decompressBody(gzipSync(PAYLOAD), 'X-GZIP', MIB)).toEqual(Buffer.from(PAYLOAD))
    expect(decompressBody(deflateSync(PAYLOAD), 'deflate', MIB)).toEqual(Buffer.from(PAYLOAD))
    expect(decompressBody(deflateRawSync(PAYLOAD), 'deflate', MIB)).toEqual(Buffer.from(PAYLOAD))
  })

  it('should accept a decompressed body of exactly the limit', () => {
    const body = gzipSync(new Uint8Array(MIB))

    expect(decompressBody(body, 'gzip', MIB)).toHaveLength(MIB)
  })

  it('should stop inflating a gzip bomb at the limit with a 413', () => {
    // 10 MiB of zeros compress to about 10 KiB. The CRC at the end is broken on purpose: an
    // inflater that ran to the end would report corruption (400), so a 413 proves it stopped.
    const bomb = Buffer.from(gzipSync(new Uint8Array(10 * MIB)))
    bomb[bomb.length - 8]! ^= 0xff

    expect(bomb.length).toBeLessThan(20_000)
    expectDecodeError(
      () => decompressBody(bomb, 'gzip', MIB),
      413,
      'request body exceeds the limit of 1048576 bytes (1 MiB) after gzip decompression',
    )
    expectDecodeError(
      () => decompressBody(bomb, 'gzip', 20 * MIB),
      400,
      'gzip body is corrupt: incorrect data check',
    )
  })

  it('should refuse an uncompressed body over the limit with a 413', () => {
    expectDecodeError(
      () => decompressBody(new Uint8Array(1001), undefined, 1000),
      413,
      'request body exceeds the limit of 1000 bytes',
    )
  })

  it('should fail on corrupt or truncated compressed bodies with a 400', () => {
    expectDecodeError(
      () => decompressBody(PAYLOAD, 'gzip', MIB),
      400,
      'gzip body is corrupt: incorrect header check',
    )
    expectDecodeError(
      () => decompressBody(gzipSync(PAYLOAD).subarray(0, 20), 'gzip', MIB),
      400,
      'gzip body is corrupt: unexpected end of file',
    )
  })

  it('should refuse an unknown encoding with a 415 naming the accepted ones', () => {
    expectDecodeError(
      () => decompressBody(PAYLOAD, 'br', MIB),
      415,
      'unsupported Content-Encoding "br"; accepted: gzip, deflate, identity',
    )
  })

  it('should refuse a limit that is not a positive integer', () => {
    expect(() => decompressBody(PAYLOAD, 'gzip', 0)).toThrow(RangeError)
  })
})
