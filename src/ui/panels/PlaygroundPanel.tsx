import { NotBuiltYet, Panel } from '../Panel';

export function PlaygroundPanel() {
  return (
    <Panel title="Playground" area="playground">
      <NotBuiltYet what="one prompt through M, M+P and M′ side by side." />
    </Panel>
  );
}
