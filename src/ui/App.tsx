import { DeviceStatus } from './DeviceStatus';
import { useLab } from './lab-context';
import { NotBuiltYet, Panel } from './Panel';
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
        <Panel title="Models" area="models">
          <NotBuiltYet what="choose the base model M and the reference model M′." />
        </Panel>
        <Panel title="Data" area="data">
          <NotBuiltYet what="built-in and imported prompt sets." />
        </Panel>
        <Panel title="Train" area="train">
          <NotBuiltYet what="collect, SFT and DPO training of the patch." />
        </Panel>
        <Panel title="Metrics" area="metrics">
          <NotBuiltYet what="toxicity, bias and refusal of M, M+P and M′." />
        </Panel>
        <Panel title="Playground" area="playground">
          <NotBuiltYet what="one prompt through M, M+P and M′ side by side." />
        </Panel>
        <Panel title="Patches" area="patches">
          <NotBuiltYet what="export, import, verify and compose patch files." />
        </Panel>
      </main>
    </div>
  );
}
