import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { LabClient } from './client/lab-client';
import { restoreTrainSettings } from './client/train';
import { createLabStore } from './state/lab-store';
import { App } from './ui/App';
import { LabProvider } from './ui/lab-context';
import './ui/styles.css';

const worker = new Worker(new URL('./worker/lab.worker.ts', import.meta.url), { type: 'module' });
const client = new LabClient(worker, createLabStore());
restoreTrainSettings(client);
client.init(null);

// End-to-end tests drive the lab through the same client the UI uses.
(globalThis as unknown as { __patchLab: LabClient }).__patchLab = client;

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <LabProvider client={client}>
      <App />
    </LabProvider>
  </StrictMode>,
);
