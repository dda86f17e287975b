import type { KernelMemory } from './kernel.ts';

/**
 * A bump allocator over a kernel instance's linear memory: the engine asks for every buffer up
 * front, then the memory grows once, so typed-array views stay valid for the whole run.
 */
export class Arena {
  private next: number;

  constructor(start: number) {
    this.next = Arena.align(start);
  }

  /** 64-byte aligned, so SIMD loads never split a cache line at the start of a row block. */
  static align(offset: number): number {
    return Math.ceil(offset / 64) * 64;
  }

  /** Reserves `floats` f32 (or i32) elements; returns the byte offset. */
  floats(count: number): number {
    return this.bytes(count * 4);
  }

  bytes(count: number): number {
    const at = this.next;
    this.next = Arena.align(at + count);
    return at;
  }

  /** Grows `memory` so every reservation fits. */
  commit(memory: KernelMemory): void {
    const pageBytes = 65536;
    const needed = Math.ceil(this.next / pageBytes) - memory.buffer.byteLength / pageBytes;
    if (needed > 0) memory.grow(needed);
  }
}

/** Widths padded to a multiple of 8 floats: the kernel's SIMD tiles need no column edge cases. */
export function padded(width: number): number {
  return Math.ceil(width / 8) * 8;
}
