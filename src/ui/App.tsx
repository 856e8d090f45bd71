import { DeviceStatus } from './DeviceStatus';
import { useLab } from './lab-context';
import { DataPanel } from './panels/DataPanel';
import { MetricsPanel } from './panels/MetricsPanel';
import { ModelsPanel } from './panels/ModelsPanel';
import { PatchesPanel } from './panels/PatchesPanel';
import { PlaygroundPanel } from './panels/PlaygroundPanel';
import { TrainPanel } from './panels/TrainPanel';
import { ThemeToggle } from './ThemeToggle';

export function App() {
  const errors = useLab((s) => s.errors);
  return (
    <div className="app">
      <header className="app-header">
        <div className="brand">
          <h1>Patch Lab</h1>
          <span className="muted">patch a language model for safety, in your browser</span>
        </div>
        <DeviceStatus />
        <ThemeToggle />
      </header>
      {errors.length > 0 && (
        <div className="banner error" role="alert" data-testid="global-error">
          {errors[errors.length - 1]}
        </div>
      )}
      <main className="lab-grid">
        <ModelsPanel />
        <DataPanel />
        <TrainPanel />
        <MetricsPanel />
        <PlaygroundPanel />
        <PatchesPanel />
      </main>
    </div>
  );
}
