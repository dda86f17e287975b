/**
 * Standard base64 (RFC 4648, with `=` padding) over bytes, for the weights in a model file. Our
 * own because `btoa`/`atob` work on strings of UTF-16 code units (a copy per byte and no clear
 * error), while a model file carries up to 100 MB and a corrupt one should say so plainly.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Character code → 6-bit value, 255 for characters outside the alphabet. `[128]`. */
const DECODE = (() => {
  const table = new Uint8Array(128).fill(255);
  for (let i = 0; i < ALPHABET.length; i++) table[ALPHABET.charCodeAt(i)] = i;
  return table;
})();

/** Bytes → base64 text, built in chunks so a large array never makes one huge concatenation. */
export function encodeBase64(bytes: Uint8Array): string {
  const chunks: string[] = [];
  const CHUNK = 3 * 4096;
  for (let start = 0; start < bytes.length; start += CHUNK) {
    const end = Math.min(start + CHUNK, bytes.length);
    let out = '';
    for (let i = start; i < end; i += 3) {
      const a = bytes[i] ?? 0;
      const b = i + 1 < end ? (bytes[i + 1] ?? 0) : 0;
      const c = i + 2 < end ? (bytes[i + 2] ?? 0) : 0;
      const triple = (a << 16) | (b << 8) | c;
      out += ALPHABET[(triple >> 18) & 63];
      out += ALPHABET[(triple >> 12) & 63];
      out += i + 1 < end ? ALPHABET[(triple >> 6) & 63] : '=';
      out += i + 2 < end ? ALPHABET[triple & 63] : '=';
    }
    chunks.push(out);
  }
  return chunks.join('');
}

/**
 * Base64 text → bytes, or null when the text is not valid base64 (a character outside the
 * alphabet, a length that is not a multiple of 4, or padding anywhere but the end).
 */
export function decodeBase64(text: string): Uint8Array | null {
  if (text.length % 4 !== 0) return null;
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const bytes = new Uint8Array((text.length / 4) * 3 - padding);
  let at = 0;
  for (let i = 0; i < text.length; i += 4) {
    const last = i + 4 === text.length;
    let triple = 0;
    for (let k = 0; k < 4; k++) {
      const code = text.charCodeAt(i + k);
      const isPad = code === 61; // '='
      if (isPad && !(last && k >= 4 - padding)) return null;
      const value = isPad ? 0 : code < 128 ? (DECODE[code] ?? 255) : 255;
      if (value === 255) return null;
      triple = (triple << 6) | value;
    }
    bytes[at++] = (triple >> 16) & 255;
    if (at < bytes.length) bytes[at++] = (triple >> 8) & 255;
    if (at < bytes.length) bytes[at++] = triple & 255;
  }
  return bytes;
}
