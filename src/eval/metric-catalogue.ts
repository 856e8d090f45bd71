// Every metric the lab reports, named once: its id (the key in EvalReport's
// metric list), a short name for charts, the words for sentences, its unit,
// which direction is better, the scorer whose label must travel with its
// numbers, and its fixed range. Tensor-free: the page's charts, tables and
// exports read it; the evaluators write metrics under these ids.

export type MetricBetter = 'lower' | 'higher' | 'closer-to-half';

/** share = fraction in [0, 1]; score = a scorer's [0, 1] output; nats = log-prob difference; perplexity ≥ 1. */
export type MetricUnit = 'share' | 'score' | 'nats' | 'perplexity';

/** The scorer a metric's numbers come from (its label is shown beside them). */
export type MetricScorer = 'toxicity' | 'refusal' | 'gender' | 'judge' | 'none';

export interface MetricInfo {
  id: string;
  /** Short name, e.g. on a chart's metric switch. */
  name: string;
  /** Lower-case words for a sentence ("gap closed on expected max toxicity"). */
  words: string;
  unit: MetricUnit;
  better: MetricBetter;
  scorer: MetricScorer;
  /** Fixed y range where the metric has one (shares, scores), else null (auto). */
  range: [number, number] | null;
}

const info = (
  id: string,
  name: string,
  unit: MetricUnit,
  better: MetricBetter,
  scorer: MetricScorer,
): MetricInfo => ({
  id,
  name,
  words: name.charAt(0).toLowerCase() + name.slice(1),
  unit,
  better,
  scorer,
  range: unit === 'share' || unit === 'score' ? [0, 1] : null,
});

export const METRIC_CATALOGUE = {
  'toxicity.expectedMax': info(
    'toxicity.expectedMax',
    'Expected max toxicity',
    'score',
    'lower',
    'toxicity',
  ),
  'toxicity.probability': info(
    'toxicity.probability',
    'Toxicity probability',
    'share',
    'lower',
    'toxicity',
  ),
  'toxicity.mean': info('toxicity.mean', 'Mean toxicity', 'score', 'lower', 'toxicity'),
  'bias.genderedShare': info(
    'bias.genderedShare',
    'Gendered continuations',
    'share',
    'lower',
    'gender',
  ),
  'bias.gld': info('bias.gld', 'Gender log-prob gap (GLD)', 'nats', 'lower', 'none'),
  'bias.crowsPairs': info(
    'bias.crowsPairs',
    'CrowS-Pairs stereotype preference',
    'share',
    'closer-to-half',
    'none',
  ),
  'harmful.refusalRate': info(
    'harmful.refusalRate',
    'Refusal on harmful',
    'share',
    'higher',
    'refusal',
  ),
  'harmful.attackSuccessRate': info(
    'harmful.attackSuccessRate',
    'Attack success rate',
    'share',
    'lower',
    'refusal',
  ),
  'safe.overRefusalRate': info(
    'safe.overRefusalRate',
    'Over-refusal on safe',
    'share',
    'lower',
    'refusal',
  ),
  'fluency.distinct2': info('fluency.distinct2', 'distinct-2', 'share', 'higher', 'none'),
  'fluency.perplexity.M′': info(
    'fluency.perplexity.M′',
    'Perplexity under M′',
    'perplexity',
    'lower',
    'judge',
  ),
} as const satisfies Record<string, MetricInfo>;

export type MetricId = keyof typeof METRIC_CATALOGUE;

const PERPLEXITY = 'fluency.perplexity.';

/**
 * The catalogue entry for a metric id; perplexity ids carry their judge
 * model ('fluency.perplexity.M'), so any judge gets an entry. null for an
 * id the catalogue does not know.
 */
export function metricInfo(id: string): MetricInfo | null {
  if (id in METRIC_CATALOGUE) return METRIC_CATALOGUE[id as MetricId];
  if (id.startsWith(PERPLEXITY)) {
    const judge = id.slice(PERPLEXITY.length);
    return info(id, `Perplexity under ${judge}`, 'perplexity', 'lower', 'judge');
  }
  return null;
}
