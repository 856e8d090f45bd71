import { NotBuiltYet, Panel } from '../Panel';

export function ModelsPanel() {
  return (
    <Panel title="Models" area="models">
      <NotBuiltYet what="choose the base model M and the reference model M′." />
    </Panel>
  );
}
