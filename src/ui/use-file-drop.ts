import { type DragEvent, useState } from 'react';

/**
 * A drop zone's pointer handlers: `over` while something is dragged over it,
 * and `onFiles` with the dropped DataTransfer.
 */
export function useFileDrop(onFiles: (data: DataTransfer) => void) {
  const [over, setOver] = useState(false);
  const dropHandlers = {
    onDragOver: (e: DragEvent) => {
      e.preventDefault();
      setOver(true);
    },
    onDragLeave: () => setOver(false),
    onDrop: (e: DragEvent) => {
      e.preventDefault();
      setOver(false);
      onFiles(e.dataTransfer);
    },
  };
  return { over, dropHandlers };
}
