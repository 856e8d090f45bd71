import { NotBuiltYet, Panel } from '../Panel';

export function DataPanel() {
  return (
    <Panel title="Data" area="data">
      <NotBuiltYet what="built-in and imported prompt sets." />
    </Panel>
  );
}
