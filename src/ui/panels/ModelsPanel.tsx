import { useEffect, useState } from 'react';
import { autoLoadDemoPairOnce, loadDemoPair, restoreHubSettings } from '../../client/models';
import type { ModelRole } from '../../protocol/messages';
import { selectAnyModelLoading } from '../../state/slices/models';
import { useLab, useLabClient } from '../lab-context';
import { LabDialog } from '../models/LabDialog';
import { ModelCache } from '../models/ModelCache';
import { ModelCard } from '../models/ModelCard';
import { ModelPicker } from '../models/ModelPicker';
import { Panel } from '../Panel';

export function ModelsPanel() {
  const client = useLabClient();
  const loading = useLab(selectAnyModelLoading);
  const [picker, setPicker] = useState<ModelRole | null>(null);
  const [cacheOpen, setCacheOpen] = useState(false);

  useEffect(() => {
    restoreHubSettings(client);
    // A speaker opens the lab offline and the demo pair is there, zero clicks.
    autoLoadDemoPairOnce(client);
  }, [client]);

  return (
    <Panel
      title="Models"
      area="models"
      actions={
        <button
          type="button"
          className="ghost"
          onClick={() => setCacheOpen(true)}
          data-testid="open-model-cache"
        >
          Cache
        </button>
      }
    >
      <div className="model-cards">
        <ModelCard modelRole="base" onChange={() => setPicker('base')} />
        <ModelCard modelRole="reference" onChange={() => setPicker('reference')} />
        <div className="row">
          <button
            type="button"
            className="ghost"
            disabled={loading}
            onClick={() => loadDemoPair(client).catch(() => {})}
            data-testid="load-demo-pair"
          >
            Load the demo pair
          </button>
        </div>
      </div>
      <LabDialog
        title="Choose a model"
        open={picker !== null}
        onClose={() => setPicker(null)}
        testId="model-picker-dialog"
      >
        {picker && (
          <ModelPicker role={picker} onRoleChange={setPicker} onStarted={() => setPicker(null)} />
        )}
      </LabDialog>
      <LabDialog title="Model cache" open={cacheOpen} onClose={() => setCacheOpen(false)}>
        <ModelCache />
      </LabDialog>
    </Panel>
  );
}
