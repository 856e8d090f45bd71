import { Component, type ErrorInfo, type ReactNode, useState } from 'react';
import { PANEL_SAVED_SETTINGS, type PanelId, resetPanelSettings } from '../client/panel-reset';
import { useLabClient } from './lab-context';

interface Props {
  panel: PanelId;
  title: string;
  children: ReactNode;
}

/**
 * Keeps one panel's failure inside that panel: without it a throw while
 * rendering (say, a saved setting of the wrong type) unmounts the whole app,
 * on every load, until storage is cleared by hand. The fallback says what
 * broke, offers to reset that panel's saved settings and to try again;
 * patches, checkpoints and imported sets are not touched.
 */
export function PanelBoundary(props: Props) {
  const client = useLabClient();
  // "Try again" mounts a fresh boundary (a new key) over a fresh panel.
  const [attempt, setAttempt] = useState(0);
  const retry = () => setAttempt((n) => n + 1);
  return (
    <Boundary
      key={attempt}
      {...props}
      onRetry={retry}
      onReset={() => {
        resetPanelSettings(client, props.panel);
        retry();
      }}
    />
  );
}

class Boundary extends Component<
  Props & { onReset: () => void; onRetry: () => void },
  { error: Error | null }
> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: unknown) {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo) {
    // The console keeps the component stack for a bug report.
    console.error(`The ${this.props.title} panel failed:`, error, info.componentStack);
  }

  override render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    const { panel, title } = this.props;
    const saved = PANEL_SAVED_SETTINGS[panel];
    return (
      <section className="panel" data-panel={panel} aria-label={title}>
        <header className="panel-head">
          <h2>{title}</h2>
        </header>
        <div className="panel-body">
          <div className="banner error" role="alert" data-testid={`panel-error-${panel}`}>
            <p>
              The {title} panel stopped working: <code>{error.message}</code>
            </p>
            <p>
              {saved
                ? `Resetting it puts ${saved} back to the defaults. `
                : 'This panel saves no settings to reset. '}
              Patches, checkpoints and imported sets are kept.
            </p>
            <div className="row">
              {saved && (
                <button type="button" onClick={this.props.onReset}>
                  Reset the {title} panel's settings
                </button>
              )}
              <button type="button" className="ghost" onClick={this.props.onRetry}>
                Try again
              </button>
            </div>
          </div>
        </div>
      </section>
    );
  }
}
