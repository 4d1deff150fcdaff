// A managed server on memory storage keeps nothing once it stops: said next to every command that stops it.

export function isMemoryStorage(storage: string): boolean {
  return storage === 'memory';
}

export const MEMORY_STOP_NOTE = 'memory storage: stopping the server deletes everything in it';
