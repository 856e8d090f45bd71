import { NotBuiltYet, Panel } from '../Panel';

export function MetricsPanel() {
  return (
    <Panel title="Metrics" area="metrics">
      <NotBuiltYet what="toxicity, bias and refusal of M, M+P and M′." />
    </Panel>
  );
}
