// An upgrade's export (SurrealDB 2 to 3), repaired statement by statement as its writer produces it and parsed by the
// target's surreal piece by piece meanwhile, instead of in passes over the finished file.
import path from 'node:path';
import { repairExport } from '../files/repair-export.js';
import type { ExportTally } from '../files/export-tally.js';
import { upgradeRepairer, type AppliedRepair } from '../core/statement-repairs.js';
import { ValidateWhileWritten } from './validate-while-written.js';
import type { ProgramRef } from './run-state.js';

export class UpgradeWhileWritten {
  private readonly repairer = upgradeRepairer();
  private readonly validator: ValidateWhileWritten | undefined;

  /** `surreal3`: the target's surreal, which parses each piece (without one, nothing is parsed here). */
  constructor(
    private readonly surreal3: ProgramRef | undefined,
    stateDir: string,
    signal: AbortSignal,
  ) {
    this.validator = surreal3 ? new ValidateWhileWritten(surreal3.path, path.join(stateDir, 'validate-piece.surql'), signal) : undefined;
  }

  /**
   * Writes `dump` repaired into `file`; resolves with its tally once every statement of it parsed. `onCreated`: called
   * once the file exists, before anything is written to it.
   */
  async write(dump: AsyncIterable<string | Uint8Array>, file: string, onRecords: (records: number, table: string) => void, onCreated?: () => Promise<void>): Promise<ExportTally> {
    const tally = await repairExport(dump, file, this.repairer, { onRecords, ...(this.validator ? { alsoTo: this.validator } : {}), ...(onCreated ? { onCreated } : {}) });
    await this.validator?.finish();
    return tally;
  }

  /** An export that stopped leaves pieces unchecked: none of them is checked, or left on disk, after this. */
  async abandon(): Promise<void> {
    await this.validator?.abandon();
  }

  /** What the export step learns besides the tally: the repairs applied, and which surreal parsed the file. */
  get outcome(): { repaired: AppliedRepair[]; validatedBy?: string } {
    return { repaired: this.repairer.repairs, ...(this.surreal3 ? { validatedBy: this.surreal3.version } : {}) };
  }
}
