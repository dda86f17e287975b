/**
 * A short description of an untrusted value for an error message: a primitive as JSON would
 * write it (a string quoted and cut to `max` characters), anything else by its kind. Never
 * throws and never copies a huge value, unlike `JSON.stringify`, which throws on a BigInt, a
 * cycle or deep nesting (a version field of 10,000 nested arrays overflows the stack).
 */
export function describeValue(value: unknown, max = 40): string {
  switch (typeof value) {
    case 'undefined':
      return 'missing';
    case 'string': {
      const cut = value.length > max;
      return `${JSON.stringify(cut ? value.slice(0, max) : value)}${cut ? '…' : ''}`;
    }
    case 'number':
    case 'boolean':
      return String(value);
    case 'bigint':
      return `${value}n`;
    case 'object':
      return value === null ? 'null' : Array.isArray(value) ? 'a list' : 'an object';
    default:
      return `a ${typeof value}`;
  }
}
