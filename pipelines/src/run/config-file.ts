import { readFile } from 'node:fs/promises';
import type { RunOptions } from './run-pipeline.ts';

/**
 * `--config <file.json>`: any setting of a run, deep-merged over the defaults. The file has the shape of
 * the settings (`{"chain": {"filters": {"steps": {"quality": {"rules": {"too-short": {"min": 400}}}}}}, "dedup": {...}}`);
 * every key must exist in the defaults and every value must have the default's type (`null` turns a
 * threshold off), so a misspelt key fails the run instead of being silently ignored. The merged
 * settings are part of the run's identity: another config is another run folder.
 */
export async function readConfigFile(path: string): Promise<Record<string, unknown>> {
  const text = await readFile(path, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new Error(`--config ${path}: ${e.code ?? e.message}`);
  });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new Error(`--config ${path}: not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!isPlainObject(value)) throw new Error(`--config ${path}: expected a JSON object of settings`);
  return value;
}

/**
 * Maps whose keys are names, not settings: a config may add a step to the filter profile or a rule to a
 * step (checked when the profile is compiled, which names the rule).
 */
const OPEN_MAPS = [/^chain\.filters\.steps$/, /^chain\.filters\.steps\.[^.]+\.rules$/];

/** `defaults` with `override` merged in, checked key by key; `where` names the place in errors (`chain.filters`; '' at the top). */
export function mergeSettings<T>(defaults: T, override: unknown, where: string): T {
  if (override === undefined) return defaults;
  if (isPlainObject(defaults)) {
    if (!isPlainObject(override)) throw new Error(`${where}: expected an object of settings, got ${JSON.stringify(override)}`);
    const merged: Record<string, unknown> = { ...defaults };
    for (const [key, value] of Object.entries(override)) {
      const at = where ? `${where}.${key}` : key;
      if (!(key in defaults)) {
        if (OPEN_MAPS.some((m) => m.test(where))) {
          merged[key] = value;
          continue;
        }
        throw new Error(`${at}: no such setting (known: ${Object.keys(defaults).join(', ')})`);
      }
      merged[key] = mergeSettings(defaults[key], value, at);
    }
    return merged as T;
  }
  if (override === null) {
    if (defaults === null || typeof defaults === 'number') return override as T;
    throw new Error(`${where}: cannot be null (its default is ${JSON.stringify(defaults)})`);
  }
  if (defaults === null) {
    if (typeof override === 'number') return override as T;
    throw new Error(`${where}: expected a number or null, got ${JSON.stringify(override)}`);
  }
  if (Array.isArray(defaults)) {
    if (!Array.isArray(override)) throw new Error(`${where}: expected a list, got ${JSON.stringify(override)}`);
    return override as T;
  }
  if (typeof override !== typeof defaults) throw new Error(`${where}: expected a ${typeof defaults}, got ${JSON.stringify(override)}`);
  return override as T;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `options` with a config file's sections merged into its settings (`path` names the file in errors). */
export function withConfigFile(options: RunOptions, file: Record<string, unknown>, path: string): RunOptions {
  try {
    return { ...options, settings: mergeSettings(options.settings, file, '') };
  } catch (e) {
    throw new Error(`--config ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
}
