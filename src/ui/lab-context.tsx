import { createContext, type ReactNode, useContext } from 'react';
import { useStore } from 'zustand';
import type { LabClient } from '../client/lab-client';
import type { LabState } from '../state/lab-store';

const LabContext = createContext<LabClient | null>(null);

export function LabProvider({ client, children }: { client: LabClient; children: ReactNode }) {
  return <LabContext.Provider value={client}>{children}</LabContext.Provider>;
}

export function useLabClient(): LabClient {
  const client = useContext(LabContext);
  if (!client) throw new Error('useLabClient must be used inside <LabProvider>');
  return client;
}

/** Subscribes a component to one slice of the lab state. */
export function useLab<T>(selector: (s: LabState) => T): T {
  return useStore(useLabClient().store, selector);
}
