import { validateConfig, type TrainingConfig } from './config.ts';

/**
 * Which runs of a comparison differ only by luck: the same config but for the seed (and the
 * name, which says nothing about training). Their curves can be summarised as a mean and a
 * spread, which is what "same config, several seeds" is for: a difference between two configs
 * smaller than that spread is noise. Pure; the charts draw what it finds.
 */

/** A run as far as grouping goes: its key and the config it trains (absent: it joins no group). */
export interface GroupableRun {
  readonly key: string;
  readonly config?: TrainingConfig | undefined;
}

/** Two or more runs of one config with different seeds. */
export interface SeedGroup {
  /** The members' keys, in the order the runs were given. */
  readonly keys: readonly string[];
  /** Their seeds, in the same order. */
  readonly seeds: readonly number[];
}

const keyCache = new WeakMap<TrainingConfig, string | null>();

/**
 * The config without its seed and name, as text: equal for runs that differ only by seed. Goes
 * through the validator first, so a stored config written before a field existed (read with its
 * default) matches a new one; null for a config that is not valid any more.
 */
function sameButSeedKey(config: TrainingConfig): string | null {
  const cached = keyCache.get(config);
  if (cached !== undefined) return cached;
  const validation = validateConfig(config);
  const key = validation.ok ? JSON.stringify({ ...validation.config, seed: 0, name: undefined }) : null;
  keyCache.set(config, key);
  return key;
}

/**
 * The seed groups among `runs`: runs whose configs agree on everything but the seed, two or more
 * with different seeds (a repeated seed is a repeated run, not another draw, and is left out).
 * Groups come in the order of their first member.
 */
export function seedGroups(runs: readonly GroupableRun[]): SeedGroup[] {
  const byConfig = new Map<string, { keys: string[]; seeds: number[] }>();
  for (const run of runs) {
    if (run.config === undefined) continue;
    const key = sameButSeedKey(run.config);
    if (key === null) continue;
    let group = byConfig.get(key);
    if (group === undefined) byConfig.set(key, (group = { keys: [], seeds: [] }));
    if (group.seeds.includes(run.config.seed)) continue;
    group.keys.push(run.key);
    group.seeds.push(run.config.seed);
  }
  return [...byConfig.values()].filter((group) => group.keys.length >= 2);
}
