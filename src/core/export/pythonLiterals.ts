/** Config values written as Python source, for the exported PyTorch script (`pytorchScript.ts`). */

/** A number as a Python literal (`1e-8`, `0.001`, `64`). The config holds only finite numbers. */
export function pyNumber(value: number): string {
  return String(value);
}

/**
 * A Python string literal of `text`, ASCII only, so no name can end the literal, start a new
 * line of code or fail to print: double quotes unless the text has `"` and no `'` (a config's
 * JSON reads better in single quotes), backslash escapes for the quote, `\\` and control
 * characters, `\u`/`\U` for every other code point, U+FFFD for a lone surrogate.
 */
export function pythonString(text: string): string {
  const quote = text.includes('"') && !text.includes("'") ? "'" : '"';
  let out = quote;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0xfffd;
    if (char === quote || char === '\\') out += `\\${char}`;
    else if (code >= 0x20 && code < 0x7f) out += char;
    else if (code >= 0xd800 && code <= 0xdfff) out += '\\ufffd';
    else if (code > 0xffff) out += `\\U${code.toString(16).padStart(8, '0')}`;
    else out += `\\u${code.toString(16).padStart(4, '0')}`;
  }
  return out + quote;
}
