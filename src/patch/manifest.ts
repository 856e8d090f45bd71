// Validation of a current-version manifest. Everything in it came from a file
// someone handed the user, so each field is checked for type and range and
// copied into a fresh object (unknown fields are dropped, nothing is
// interpreted: strings stay plain text for the UI to show as text).

import { DOMAINS } from '../data/domains';
import type { Domain } from '../data/types';
import { PatchFileError } from './errors';
import type {
  PatchBase,
  PatchComposition,
  PatchManifest,
  PatchMetrics,
  PatchMetricsContext,
  PatchParent,
  PatchRecipe,
  PatchSignature,
  PatchTrainedWith,
  SignatureAlgorithm,
} from './types';
import { CURRENT_FORMAT_VERSION } from './types';

const ALGORITHMS: readonly SignatureAlgorithm[] = ['ECDSA-P256-SHA256', 'Ed25519'];
const HEX64 = /^[0-9a-f]{64}$/;
/** Long enough for any real name or note; short enough that a hostile file cannot flood the UI. */
const MAX_TEXT = 10_000;

type Obj = Record<string, unknown>;

function fail(path: string, why: string): never {
  throw new PatchFileError('MANIFEST_INVALID', `The patch manifest is invalid: ${path} ${why}.`);
}

function obj(v: unknown, path: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(path, 'must be an object');
  return v as Obj;
}

function str(v: unknown, path: string, opts: { nonEmpty?: boolean } = {}): string {
  if (typeof v !== 'string') fail(path, 'must be a string');
  if (opts.nonEmpty && v.trim() === '') fail(path, 'must not be empty');
  if (v.length > MAX_TEXT) fail(path, `is longer than ${MAX_TEXT} characters`);
  return v;
}

function num(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(path, 'must be a finite number');
  return v;
}

function int(v: unknown, path: string, min: number): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) {
    fail(path, `must be an integer ≥ ${min}`);
  }
  return v;
}

function arr(v: unknown, path: string): unknown[] {
  if (!Array.isArray(v)) fail(path, 'must be an array');
  return v;
}

function hex64(v: unknown, path: string): string {
  const s = str(v, path);
  if (!HEX64.test(s)) fail(path, 'must be 64 lowercase hex digits (SHA-256)');
  return s;
}

export function validateBase(v: unknown): PatchBase {
  const b = obj(v, 'base');
  const fp = b.fingerprint;
  return {
    id: str(b.id, 'base.id', { nonEmpty: true }),
    revision: str(b.revision, 'base.revision', { nonEmpty: true }),
    architecture: str(b.architecture, 'base.architecture', { nonEmpty: true }),
    hiddenSize: int(b.hiddenSize, 'base.hiddenSize', 1),
    fingerprint: fp === null ? null : str(fp, 'base.fingerprint', { nonEmpty: true }),
  };
}

export function validateRecipe(v: unknown): PatchRecipe | null {
  if (v === null) return null;
  const r = obj(v, 'recipe');
  const init = obj(r.init, 'recipe.init');
  const stages = arr(r.stages, 'recipe.stages').map((s, i) => {
    const o = obj(s, `recipe.stages[${i}]`);
    return {
      kind: str(o.kind, `recipe.stages[${i}].kind`, { nonEmpty: true }),
      steps: int(o.steps, `recipe.stages[${i}].steps`, 0),
    };
  });
  const datasets = arr(r.datasets, 'recipe.datasets').map((d, i) => {
    const o = obj(d, `recipe.datasets[${i}]`);
    return {
      name: str(o.name, `recipe.datasets[${i}].name`),
      size: int(o.size, `recipe.datasets[${i}].size`, 0),
    };
  });
  return {
    init: {
      method: str(init.method, 'recipe.init.method', { nonEmpty: true }),
      ...(init.text !== undefined ? { text: str(init.text, 'recipe.init.text') } : {}),
    },
    stages,
    beta: r.beta === null ? null : num(r.beta, 'recipe.beta'),
    learningRate: num(r.learningRate, 'recipe.learningRate'),
    datasets,
    seed: int(r.seed, 'recipe.seed', 0),
    ...(r.collectedSetId !== undefined
      ? { collectedSetId: collectedSetIdOf(r.collectedSetId) }
      : {}),
  };
}

/** "collected-" (one collection) or "joint-" (a joint retrain's union) and 16 hex digits. */
function collectedSetIdOf(v: unknown): string {
  const s = str(v, 'recipe.collectedSetId');
  if (!/^(collected|joint)-[0-9a-f]{16}$/.test(s))
    fail('recipe.collectedSetId', 'must be "collected-" or "joint-" and 16 hex digits');
  return s;
}

function validateMetrics(v: unknown): PatchMetrics {
  const m = obj(v, 'metrics');
  const out: PatchMetrics = {};
  for (const [metric, variants] of Object.entries(m)) {
    const inner = obj(variants, `metrics.${metric}`);
    out[metric] = {};
    for (const [variant, value] of Object.entries(inner)) {
      out[metric][variant] = num(value, `metrics.${metric}.${variant}`);
    }
  }
  return out;
}

function validateMetricsContext(v: unknown): PatchMetricsContext {
  const c = obj(v, 'metricsContext');
  const evaluatedAt = str(c.evaluatedAt, 'metricsContext.evaluatedAt', { nonEmpty: true });
  if (Number.isNaN(Date.parse(evaluatedAt)))
    fail('metricsContext.evaluatedAt', 'must be an ISO 8601 date');
  const scorers: PatchMetricsContext['scorers'] = {};
  for (const [id, ref] of Object.entries(obj(c.scorers, 'metricsContext.scorers'))) {
    const r = obj(ref, `metricsContext.scorers.${id}`);
    scorers[id] = {
      name: str(r.name, `metricsContext.scorers.${id}.name`, { nonEmpty: true }),
      version: r.version === null ? null : str(r.version, `metricsContext.scorers.${id}.version`),
    };
  }
  let control: PatchMetricsContext['control'] = null;
  if (c.control !== null) {
    const k = obj(c.control, 'metricsContext.control');
    if (k.kind !== 'random-patch') fail('metricsContext.control.kind', 'must be "random-patch"');
    control = {
      kind: 'random-patch',
      seed: int(k.seed, 'metricsContext.control.seed', 0),
      n: int(k.n, 'metricsContext.control.n', 1),
      hidden: int(k.hidden, 'metricsContext.control.hidden', 1),
    };
  }
  const i = obj(c.interval, 'metricsContext.interval');
  return {
    evaluatedAt,
    step: c.step === null ? null : int(c.step, 'metricsContext.step', 0),
    configKey: str(c.configKey, 'metricsContext.configKey'),
    scorers,
    control,
    interval: {
      level: num(i.level, 'metricsContext.interval.level'),
      resamples: int(i.resamples, 'metricsContext.interval.resamples', 1),
      seed: int(i.seed, 'metricsContext.interval.seed', 0),
    },
  };
}

function validateParents(v: unknown): PatchParent[] {
  return arr(v, 'parents').map((p, i) => {
    const o = obj(p, `parents[${i}]`);
    return {
      name: str(o.name, `parents[${i}].name`),
      tensorSha256: hex64(o.tensorSha256, `parents[${i}].tensorSha256`),
      nVirtual: int(o.nVirtual, `parents[${i}].nVirtual`, 1),
    };
  });
}

/** Few, short entries: a provenance note, not a place for a hostile file to put a book. */
const MAX_TRAINED_WITH_DETAILS = 32;

export function validateTrainedWith(v: unknown): PatchTrainedWith {
  const t = obj(v, 'trainedWith');
  const tool = str(t.tool, 'trainedWith.tool', { nonEmpty: true });
  if (tool.length > 100) fail('trainedWith.tool', 'is longer than 100 characters');
  const entries = Object.entries(obj(t.details, 'trainedWith.details'));
  if (entries.length > MAX_TRAINED_WITH_DETAILS) {
    fail('trainedWith.details', `has more than ${MAX_TRAINED_WITH_DETAILS} entries`);
  }
  const details: Record<string, string | number> = {};
  for (const [k, value] of entries) {
    if (k.length > 100) fail('trainedWith.details', 'has a key longer than 100 characters');
    details[k] =
      typeof value === 'number'
        ? num(value, `trainedWith.details.${k}`)
        : str(value, `trainedWith.details.${k}`);
  }
  return { tool, details };
}

/** Gap closed is a fraction; anything beyond ±1000 (100 000 points) is not a measurement. */
const MAX_GAP = 1000;

function gapOrNull(v: unknown, path: string): number | null {
  if (v === null) return null;
  const x = num(v, path);
  if (Math.abs(x) > MAX_GAP) fail(path, `must be between −${MAX_GAP} and ${MAX_GAP}`);
  return x;
}

function domainOf(v: unknown, path: string): Domain {
  if (!DOMAINS.includes(v as Domain)) fail(path, `must be one of ${DOMAINS.join(', ')}`);
  return v as Domain;
}

/** A composition report must describe this very stack: its order is the parents' order. */
function validateComposition(v: unknown, parents: PatchParent[]): PatchComposition {
  const c = obj(v, 'composition');
  const hashes = (x: unknown, path: string) => {
    const list = arr(x, path);
    if (list.length > 4)
      fail(path, 'lists more than 4 patches (a composition report covers at most 4)');
    return list.map((h, i) => hex64(h, `${path}[${i}]`));
  };
  const order = hashes(c.order, 'composition.order');
  const parentOrder = parents.map((p) => p.tensorSha256);
  if (order.length !== parentOrder.length || order.some((h, i) => h !== parentOrder[i])) {
    fail('composition.order', "does not match the patch's parents in order");
  }
  const seen = new Set<Domain>();
  const domains = arr(c.domains, 'composition.domains').map((d, i) => {
    const o = obj(d, `composition.domains[${i}]`);
    const domain = domainOf(o.domain, `composition.domains[${i}].domain`);
    if (seen.has(domain)) fail(`composition.domains[${i}].domain`, `repeats "${domain}"`);
    seen.add(domain);
    return {
      domain,
      alone: gapOrNull(o.alone, `composition.domains[${i}].alone`),
      stacked: gapOrNull(o.stacked, `composition.domains[${i}].stacked`),
    };
  });
  const out: PatchComposition = {
    order,
    domains,
    evaluatedOrders: int(c.evaluatedOrders, 'composition.evaluatedOrders', 1),
    recommendedOrder:
      c.recommendedOrder === null
        ? null
        : hashes(c.recommendedOrder, 'composition.recommendedOrder'),
  };
  if (out.evaluatedOrders > 24) fail('composition.evaluatedOrders', 'must be at most 24 (4!)');
  if (
    out.recommendedOrder &&
    [...out.recommendedOrder].sort().join() !== [...order].sort().join()
  ) {
    fail('composition.recommendedOrder', 'must be an order of the same parents');
  }
  if (c.beforeJoint !== undefined) {
    out.beforeJoint = arr(c.beforeJoint, 'composition.beforeJoint').map((d, i) => {
      const o = obj(d, `composition.beforeJoint[${i}]`);
      return {
        domain: domainOf(o.domain, `composition.beforeJoint[${i}].domain`),
        stacked: gapOrNull(o.stacked, `composition.beforeJoint[${i}].stacked`),
      };
    });
  }
  return out;
}

function validateSignature(v: unknown): PatchSignature {
  const s = obj(v, 'signature');
  const algorithm = str(s.algorithm, 'signature.algorithm');
  if (!ALGORITHMS.includes(algorithm as SignatureAlgorithm)) {
    fail('signature.algorithm', `must be one of ${ALGORITHMS.join(', ')}`);
  }
  const jwk = obj(s.publicKey, 'signature.publicKey');
  const publicKey: JsonWebKey = {};
  for (const k of ['kty', 'crv', 'x', 'y'] as const) {
    if (jwk[k] !== undefined) publicKey[k] = str(jwk[k], `signature.publicKey.${k}`);
  }
  if (jwk.d !== undefined) fail('signature.publicKey', 'contains a private key member ("d")');
  return {
    algorithm: algorithm as SignatureAlgorithm,
    publicKey,
    keyFingerprint: hex64(s.keyFingerprint, 'signature.keyFingerprint'),
    value: str(s.value, 'signature.value', { nonEmpty: true }),
  };
}

/** Checks a manifest already migrated to CURRENT_FORMAT_VERSION and returns a clean copy. */
export function validateManifest(raw: unknown): PatchManifest {
  const m = obj(raw, 'manifest');
  if (m.formatVersion !== CURRENT_FORMAT_VERSION) {
    fail('formatVersion', `must be ${CURRENT_FORMAT_VERSION}`);
  }
  const createdAt = str(m.createdAt, 'createdAt', { nonEmpty: true });
  if (Number.isNaN(Date.parse(createdAt))) fail('createdAt', 'must be an ISO 8601 date');
  const domains = arr(m.domains, 'domains').map((d, i) => {
    if (!DOMAINS.includes(d as Domain))
      fail(`domains[${i}]`, `must be one of ${DOMAINS.join(', ')}`);
    return d as Domain;
  });
  const manifest: PatchManifest = {
    formatVersion: CURRENT_FORMAT_VERSION,
    name: str(m.name, 'name', { nonEmpty: true }),
    createdAt,
    base: validateBase(m.base),
    domains,
    recipe: validateRecipe(m.recipe),
    metrics: validateMetrics(m.metrics),
    parents: validateParents(m.parents),
    tensorSha256: hex64(m.tensorSha256, 'tensorSha256'),
  };
  if (m.metricsContext !== undefined) {
    manifest.metricsContext = validateMetricsContext(m.metricsContext);
  }
  if (m.trainedWith !== undefined) manifest.trainedWith = validateTrainedWith(m.trainedWith);
  if (m.composition !== undefined) {
    manifest.composition = validateComposition(m.composition, manifest.parents);
  }
  if (m.signature !== undefined) manifest.signature = validateSignature(m.signature);
  return manifest;
}
