/**
 * Short content fingerprints (FNV-1a, 32 bits) that let a comparison check fairness instead of
 * claiming it: two runs whose initial weights hash the same started from the same network.
 * Not cryptographic; collisions between *different* networks are possible but vanishingly
 * unlikely to matter for telling variants apart.
 */
export class Fingerprint {
  private hash = 0x811c9dc5;

  /** Mixes in the bytes of `values` (their IEEE-754 bit patterns for floats). */
  addArray(values: Float32Array | Int32Array | Uint32Array | Uint8Array): this {
    const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
    let h = this.hash;
    for (let i = 0; i < bytes.length; i++) {
      h ^= bytes[i] as number;
      h = Math.imul(h, 0x01000193);
    }
    this.hash = h >>> 0;
    return this;
  }

  /** Mixes in one 32-bit integer (e.g. a layer width), so shapes count as well as values. */
  addInt(value: number): this {
    return this.addArray(Int32Array.of(value | 0));
  }

  /** 8 lowercase hex digits. */
  hex(): string {
    return this.hash.toString(16).padStart(8, '0');
  }
}
