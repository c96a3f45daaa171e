import { resolve } from 'node:path';
import { compileProfile, FILTER_PROFILES, filterProfileNamed, filterSettingsOf, loadToxicityModel, profileOfSettings, withToxicityModel, DEFAULT_FILTER_PROFILE } from '@jcp/filters';
import type { RunOptions } from '../run/run-pipeline.ts';
import { closest, UsageError } from './args.ts';

/** The filter flags of `pnpm pipeline` and `pnpm refilter`, declared once. */
export const FILTER_OPTIONS = {
  filters: { type: 'string' },
  'toxicity-model': { type: 'string' },
} as const;

export const FILTER_HELP = `  --filters <profile> Filter profile: ${FILTER_PROFILES.map((p) => p.name).join(', ')}. Default: ${DEFAULT_FILTER_PROFILE}.
${FILTER_PROFILES.map((p) => `                        ${p.name}: ${p.description}`).join('\n')}
                      The profile's rule table is chain.filters.steps: --config can change any bound.
  --toxicity-model <file>  Also drop on a learned toxicity classifier (format jcp-toxicity, made by pnpm train
                      toxicity) at the threshold stored in the file. Off by default: see docs/filters.md.`;

/** `options` with the profile of `--filters` as its filter settings (before --config, which may edit its rules). */
export function withFilterProfile(options: RunOptions, name: string | undefined): RunOptions {
  if (name === undefined) return options;
  let profile: ReturnType<typeof filterProfileNamed>;
  try {
    profile = filterProfileNamed(name);
  } catch (e) {
    // Its message lists the profiles; a near miss is named besides. A wrong name is a usage error (exit 2).
    const guess = closest(name, FILTER_PROFILES.map((p) => p.name));
    throw new UsageError(`--filters: ${e instanceof Error ? e.message : String(e)}${guess ? `; did you mean ${guess}?` : ''}`);
  }
  const chain = options.settings.chain;
  return { ...options, settings: { ...options.settings, chain: { ...chain, filters: { ...chain.filters, ...filterSettingsOf(profile) } } } };
}

/**
 * `options` with the classifier of `--toxicity-model` added (after --config), then the profile checked
 * once, here, rather than in every task. `profileName` is the one --filters chose: a config file edits the
 * profile's rules but cannot rename it (the run would be labelled with a profile whose rules it does not have).
 */
export function withToxicityModelFile(options: RunOptions, modelPath: string | undefined, profileName: string): RunOptions {
  let filters = options.settings.chain.filters;
  if (filters.profile !== profileName) {
    throw new Error(`chain.filters.profile: choose a profile with --filters ${filters.profile}, not in a config file (a config may change its rules)`);
  }
  if (modelPath !== undefined) {
    const path = resolve(modelPath);
    filters = { ...filters, ...withToxicityModel(filters, path, loadToxicityModel(path).header.threshold) };
  }
  compileProfile(profileOfSettings(filters), filters.scorers);
  return { ...options, settings: { ...options.settings, chain: { ...options.settings.chain, filters } } };
}
