import { useState } from 'react';
import type { EvalResult } from '../../protocol/messages';
import { CHART_DOMAINS, type ChartDomain, DOMAIN_TITLES } from '../../state/slices/eval';
import { useLab } from '../lab-context';
import { SampleLines } from './SampleLines';
import { domainSamples } from './samples';

/** The keyboard way to the samples the charts show on hover: pick a model (and step) and a domain. */
export function SamplesList() {
  const { baselines, history } = useLab((s) => s.evaluation);
  const options: { key: string; label: string; result: EvalResult }[] = [
    ...(baselines.base
      ? [{ key: 'm', label: baselines.base.modelLabel, result: baselines.base }]
      : []),
    ...(baselines.reference
      ? [{ key: 'mref', label: baselines.reference.modelLabel, result: baselines.reference }]
      : []),
    ...(baselines.control
      ? [{ key: 'mr', label: baselines.control.modelLabel, result: baselines.control }]
      : []),
    ...history.map((p, i) => ({ key: `mp-${i}`, label: `M+P at step ${p.x}`, result: p.result })),
  ];
  const [key, setKey] = useState<string | null>(null);
  const [domain, setDomain] = useState<ChartDomain>('toxicity');
  const chosen = options.find((o) => o.key === key) ?? options.at(-1);
  if (!chosen) return null;
  const samples = domainSamples(chosen.result, domain, 12);
  return (
    <details className="samples-list">
      <summary>Sample generations</summary>
      <div className="samples-controls">
        <label className="field">
          Model
          <select value={chosen.key} onChange={(e) => setKey(e.target.value)}>
            {options.map((o) => (
              <option key={o.key} value={o.key}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          Domain
          <select value={domain} onChange={(e) => setDomain(e.target.value as ChartDomain)}>
            {CHART_DOMAINS.map((d) => (
              <option key={d} value={d}>
                {DOMAIN_TITLES[d]}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p className="muted">
        {chosen.result.report.samplesPerPrompt} sample(s) per prompt · toxicity scorer:{' '}
        {chosen.result.scorer.label} · refusal: {chosen.result.report.scorers.refusal}
      </p>
      <SampleLines samples={samples} />
    </details>
  );
}
