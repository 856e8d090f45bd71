import { NotBuiltYet, Panel } from '../Panel';

export function TrainPanel() {
  return (
    <Panel title="Train" area="train">
      <NotBuiltYet what="collect, SFT and DPO training of the patch." />
    </Panel>
  );
}
