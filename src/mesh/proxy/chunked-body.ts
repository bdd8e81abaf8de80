/**
 * Incremental decoding of a `transfer-encoding: chunked` body (RFC 9112 §7.1), shared by the
 * request parser (downstream) and the response parser (upstream): chunk-size lines (extensions
 * ignored), chunk data, the CRLF after it, then trailer lines up to an empty one. The two sides
 * differ only in strictness, an option: the request side follows llhttp's strict mode (no
 * whitespace around the size, trailer lines must be fields), the response side is lenient, as a
 * client should be with what its upstream sends.
 */

/** Options of {@link ChunkedBodyDecoder}. */
export interface ChunkedBodyOptions {
  /** Longest chunk-size or trailer line, bytes: a longer one is an error, not a wait for more. */
  maxLine: number;
  /** Refuse whitespace around the chunk size and trailer lines that are not `name: value`. @default false */
  strict?: boolean;
}

/** A malformed chunked body; the message says what (the caller maps it to its own error). */
export class ChunkedBodyError extends Error {}

const enum Phase {
  Size,
  Data,
  DataEnd,
  Trailers,
  Done,
}

// A trailer field value as llhttp accepts it: HTAB, visible ASCII, SP, obs-text.
const BAD_TRAILER = /[^\t\x20-\x7e\x80-\xff]/;
const HEX = /^[0-9a-fA-F]{1,12}$/;

/** Decodes one chunked body at a time; {@link ChunkedBodyDecoder.reset} before each. */
export class ChunkedBodyDecoder {
  private phase = Phase.Size;
  private remaining = 0;

  constructor(private readonly options: ChunkedBodyOptions) {}

  /** Starts a new body. */
  reset(): void {
    this.phase = Phase.Size;
    this.remaining = 0;
  }

  /** True once the last chunk and the trailers have been read. */
  get done(): boolean {
    return this.phase === Phase.Done;
  }

  /**
   * Decodes `buf` from `at`, handing the data to `onBody` (valid during the call only). Returns
   * where it stopped: the end of `buf`, the end of the body (`done`), or the start of a line not
   * yet complete (feed it again with more bytes). Throws {@link ChunkedBodyError}.
   */
  feed(buf: Buffer, at: number, onBody: (chunk: Buffer) => void): number {
    while (at < buf.length && this.phase !== Phase.Done) {
      if (this.phase === Phase.Data) {
        const n = Math.min(this.remaining, buf.length - at);
        this.remaining -= n;
        onBody(buf.subarray(at, at + n));
        at += n;
        if (this.remaining === 0) this.phase = Phase.DataEnd;
        continue;
      }
      const eol = buf.indexOf('\r\n', at, 'latin1');
      if (eol < 0) {
        if (buf.length - at > this.options.maxLine) throw new ChunkedBodyError('chunk line too long');
        return at;
      }
      this.line(buf.toString('latin1', at, eol));
      at = eol + 2;
    }
    return at;
  }

  private line(line: string): void {
    if (this.phase === Phase.DataEnd) {
      if (line !== '') throw new ChunkedBodyError('missing CRLF after chunk data');
      this.phase = Phase.Size;
      return;
    }
    if (this.phase === Phase.Trailers) {
      if (line === '') this.phase = Phase.Done;
      else if (this.options.strict && (line.indexOf(':') <= 0 || BAD_TRAILER.test(line))) throw new ChunkedBodyError('bad trailer');
      return;
    }
    const semi = line.indexOf(';');
    const size = semi < 0 ? line : line.slice(0, semi);
    const hex = this.options.strict ? size : size.trim();
    if (!HEX.test(hex)) throw new ChunkedBodyError(`bad chunk size ${JSON.stringify(line.slice(0, 40))}`);
    const n = parseInt(hex, 16);
    if (n === 0) this.phase = Phase.Trailers;
    else {
      this.remaining = n;
      this.phase = Phase.Data;
    }
  }
}
