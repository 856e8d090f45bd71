import { useEffect, useState } from 'react';
import { openSharedSetupOnce, startUrlSync } from '../client/share-sync';
import { DeviceStatus } from './DeviceStatus';
import { GuidedDemo } from './guided/GuidedDemo';
import { useLab, useLabClient } from './lab-context';
import { PanelBoundary } from './PanelBoundary';
import { DataPanel } from './panels/DataPanel';
import { MetricsPanel } from './panels/MetricsPanel';
import { ModelsPanel } from './panels/ModelsPanel';
import { PatchesPanel } from './panels/PatchesPanel';
import { PlaygroundPanel } from './panels/PlaygroundPanel';
import { TrainPanel } from './panels/TrainPanel';
import { RunStatusBadge } from './RunStatusBadge';
import { CopyLinkButton } from './share/CopyLinkButton';
import { LinkNotice } from './share/LinkNotice';
import { ThemeToggle } from './ThemeToggle';

export function App() {
  const client = useLabClient();
  const errors = useLab((s) => s.errors);
  // Read while rendering, before the panels mount: they pick the setup up from storage.
  const [link] = useState(() => openSharedSetupOnce(client, location.search));
  useEffect(
    () =>
      startUrlSync(client, link.kind === 'opened' || link.kind === 'restored' ? link.setup : null),
    [client, link],
  );

  return (
    <div className="app">
      <a className="skip-link" href="#lab-main">
        Skip to the lab
      </a>
      <header className="app-header">
        <div className="brand">
          <h1>Patch Lab</h1>
          <span className="muted brand-sub">
            patch a language model for safety, in your browser
          </span>
        </div>
        <RunStatusBadge />
        <CopyLinkButton />
        <DeviceStatus />
        <ThemeToggle />
      </header>
      <LinkNotice outcome={link} />
      {errors.length > 0 && (
        <div className="banner error" role="alert" data-testid="global-error">
          {errors[errors.length - 1]}
        </div>
      )}
      <GuidedDemo />
      {/* Three stacked columns, not a grid of rows: panels grow as work
          arrives, and a tall one must not push its row-mates apart. The
          order is the workflow: set up → train and try → measure and share. */}
      <main className="lab-grid" id="lab-main" tabIndex={-1}>
        <div className="lab-col lab-col-setup">
          <PanelBoundary panel="models" title="Models">
            <ModelsPanel />
          </PanelBoundary>
          <PanelBoundary panel="data" title="Data">
            <DataPanel />
          </PanelBoundary>
        </div>
        <div className="lab-col lab-col-work">
          <PanelBoundary panel="train" title="Train">
            <TrainPanel />
          </PanelBoundary>
          <PanelBoundary panel="playground" title="Playground">
            <PlaygroundPanel />
          </PanelBoundary>
        </div>
        <div className="lab-col lab-col-results">
          <PanelBoundary panel="metrics" title="Metrics">
            <MetricsPanel />
          </PanelBoundary>
          <PanelBoundary panel="patches" title="Patches">
            <PatchesPanel />
          </PanelBoundary>
        </div>
      </main>
    </div>
  );
}
