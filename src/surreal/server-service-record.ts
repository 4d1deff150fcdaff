// The record that the managed server of a state folder is now a service (`pattern-db server install`): which unit
// starts it and where its credentials are. `server status` and the doctor read it.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writePrivateFile } from '../files/private-files.js';

export interface ServerServiceRecord {
  /** The systemd user unit, e.g. pattern-db-server-8000.service. */
  unit: string;
  unitFile: string;
  /** The 0600 file with SURREAL_USER and SURREAL_PASS the unit reads. */
  envFile: string;
  url: string;
  storage: string;
  /** ISO 8601. */
  installedAt: string;
}

const RECORD_FILE = 'service.json';

export function serviceRecordFile(stateDir: string): string {
  return path.join(stateDir, RECORD_FILE);
}

export async function readServiceRecord(stateDir: string): Promise<ServerServiceRecord | null> {
  const text = await fs.readFile(serviceRecordFile(stateDir), 'utf8').catch(() => null);
  if (text === null) return null;
  try {
    return JSON.parse(text) as ServerServiceRecord;
  } catch {
    return null;
  }
}

export async function writeServiceRecord(stateDir: string, record: ServerServiceRecord): Promise<void> {
  await writePrivateFile(serviceRecordFile(stateDir), `${JSON.stringify(record, null, 2)}\n`);
}
