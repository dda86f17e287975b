import { DEFAULT_CONFIG, validateConfig, type TrainingConfig } from '../core/config.ts';

export interface Preset {
  readonly id: string;
  readonly label: string;
  readonly config: TrainingConfig;
}

/** A preset file that failed validation: shown to the person, not loaded. */
export interface RejectedPreset {
  readonly file: string;
  readonly problems: readonly string[];
}

/** configs/*.json, bundled at build time; each is validated like any other untrusted config. */
const FILES = import.meta.glob<unknown>('../../configs/*.json', { eager: true, import: 'default' });

export const DEFAULT_PRESET_ID = 'default';

function loadPresets(): { presets: Preset[]; rejected: RejectedPreset[] } {
  const presets: Preset[] = [
    { id: DEFAULT_PRESET_ID, label: 'Default (784-128-64-10)', config: DEFAULT_CONFIG },
  ];
  const rejected: RejectedPreset[] = [];
  for (const [path, value] of Object.entries(FILES).sort(([a], [b]) => a.localeCompare(b))) {
    const file = path.split('/').pop() ?? path;
    const validation = validateConfig(value);
    if (validation.ok) {
      presets.push({
        id: file,
        label: validation.config.name ?? file.replace(/\.json$/, ''),
        config: validation.config,
      });
    } else {
      rejected.push({
        file,
        problems: Object.entries(validation.errors).map(([field, message]) => `${field}: ${message}`),
      });
    }
  }
  return { presets, rejected };
}

export const { presets: PRESETS, rejected: REJECTED_PRESETS } = loadPresets();
