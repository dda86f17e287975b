import { validateConfig, type FieldErrors, type TrainingConfig } from './config.ts';

/**
 * The config as part of a page link, so a shared link reproduces the run. The whole config is
 * JSON in base64url (RFC 4648 §5, no padding) under the `config` query parameter; other
 * parameters such as `?backend=` are left alone. Decoding never throws: anything wrong with the
 * link (too long, bad base64, bad JSON, an invalid config) comes back as field-level messages.
 */

export const CONFIG_PARAM = 'config';

/** Longest `config` value accepted; a full config encodes to well under 2,000 characters. */
export const MAX_CONFIG_PARAM_LENGTH = 16_384;

export type DecodedConfig = { readonly config: TrainingConfig } | { readonly errors: FieldErrors };

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Null when `encoded` is not base64url or not UTF-8. */
function fromBase64Url(encoded: string): string | null {
  if (!/^[A-Za-z0-9_-]*$/.test(encoded) || encoded.length % 4 === 1) return null;
  try {
    const binary = atob(encoded.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** The query string for `config`, keeping the other parameters of `currentSearch` (e.g. `?backend=wasm`). */
export function encodeConfigToSearch(config: TrainingConfig, currentSearch = ''): string {
  const params = new URLSearchParams(currentSearch);
  params.set(CONFIG_PARAM, toBase64Url(JSON.stringify(config)));
  return `?${params.toString()}`;
}

/**
 * The config in a query string: null when the link carries none, else the validated config or
 * what is wrong with it. Older config versions are migrated by {@link validateConfig}.
 */
export function decodeConfigFromSearch(search: string): DecodedConfig | null {
  if (search.length > 2 * MAX_CONFIG_PARAM_LENGTH) {
    return { errors: { '(config)': 'The link is too long to hold a config' } };
  }
  const raw = new URLSearchParams(search).get(CONFIG_PARAM);
  if (raw === null) return null;
  if (raw.length > MAX_CONFIG_PARAM_LENGTH) {
    return {
      errors: {
        '(config)': `The config in the link is too long (${raw.length.toLocaleString('en-US')} characters; at most ${MAX_CONFIG_PARAM_LENGTH.toLocaleString('en-US')})`,
      },
    };
  }
  const json = fromBase64Url(raw.trim());
  if (json === null) return { errors: { '(config)': 'The config in the link is not valid base64url' } };
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return { errors: { '(config)': 'The config in the link is not valid JSON' } };
  }
  const validation = validateConfig(value);
  return validation.ok ? { config: validation.config } : { errors: validation.errors };
}
