import { NotBuiltYet, Panel } from '../Panel';

export function PatchesPanel() {
  return (
    <Panel title="Patches" area="patches">
      <NotBuiltYet what="export, import, verify and compose patch files." />
    </Panel>
  );
}
