// The interactive wizard's controller: runs the real steps through the runner and asks the user through the Ink UI.
// Decisions live here, in the steps and in core (preview, resume, summary); src/ui only shows state and reports choices.
import { BIND_HINT, checkBind, passwordProblem, SERVER_URL_HINT, serverUrlProblem, USER_NAME_HINT, userNameProblem } from '../core/answer-checks.js';
import { asPatternDbError, EXIT_CODES, exitCodeFor, PatternDbError } from '../core/errors.js';
import type { CheckResult } from '../core/doctor-model.js';
import type { PatternDbEvent } from '../core/events.js';
import { doneSummary, withOfferDone, type DoneSummary, type NextStepOffer, type PasswordSource } from '../core/done-summary.js';
import { resumedOptions, stoppedStep, type Journal } from '../core/journal.js';
import { configLeftUnwritten } from '../core/migration-outcome.js';
import { migrationPreview } from '../core/migration-preview.js';
import { chooseRoute, isUpgrade, routeHint, UPGRADE_NOTE, UPGRADE_WARNING, type Major, type Route } from '../core/route.js';
import { DEFAULTS, SKIPPABLE_CHECKS, type RunOptions } from '../core/options.js';
import { folderProblem, resolveFolder } from '../files/folder-check.js';
import { assertOutsideStore } from '../files/store-overlap.js';
import { keptExports, readJournal, setRunAside } from '../files/journal-file.js';
import { holdStateLock, holdUsedStateLock, type HeldStateLock } from '../files/state-lock.js';
import { generatePassword } from '../ops/app-user.js';
import { runPlan, type RunOutcome } from '../runner.js';
import { removeSnapshots } from '../surreal/store.js';
import { storeMajor } from '../surreal/source-store.js';
import { EMBEDDED_ENGINE } from '../surreal/embedded.js';
import { DIAGNOSIS_CHECKS, runDoctor } from '../steps/doctor/doctor.js';
import { doctorInputFor } from '../steps/doctor/prerequisites.js';
import { preflightStep } from '../steps/preflight.js';
import type { Prompter } from '../steps/prompter.js';
import type { ConfigResult, RunState, ServerResult } from '../steps/run-state.js';
import { SurveyedSource } from '../steps/surveyed-source.js';
import type { Answer, Choice, PromptSpec, WizardActions, WizardPhase } from '../ui/contract.js';
import { WizardBus } from '../ui/contract.js';
import { fingerprintOf, migrateStepNames, planFor } from './plans.js';
import { createPatternUser, makeFirstBackup, type AdminAccess } from './wizard-offers.js';

/** Preflight has no phase of its own: the survey shows it as prerequisites, the main run under the target. */
const STEP_PHASES: Record<string, WizardPhase> = {
  export: 'export',
  server: 'server',
  import: 'import',
  verify: 'verify',
  config: 'config',
};

class Cancelled extends Error {}

/** The steps a new server's run fails in before that server runs (its own step included). */
const BEFORE_SERVER = ['preflight', 'export', 'server'];

/** The server refused the run's own sign-in (not Pattern's config credentials, which the config step checks). */
function refusedSignIn(error: PatternDbError, step: string | undefined): boolean {
  return error.code === 'E_AUTH' && step !== 'config';
}

function withFix(error: PatternDbError, fix: string): PatternDbError {
  return new PatternDbError(error.code, error.message, { fix, cause: error, ...(error.evidence ? { evidence: error.evidence } : {}) });
}

type TextPrompt = Extract<PromptSpec, { kind: 'text' }>;
type PasswordPrompt = Extract<PromptSpec, { kind: 'password' }>;

export class WizardController {
  readonly bus = new WizardBus();
  private readonly pending = new Map<string, (answer: Answer) => void>();
  private abort = new AbortController();
  private nextStep: ((choice: 'retry' | 'quit') => void) | undefined;
  private cancelled = false;
  /** The major that wrote the store, once the survey has read it. */
  private storeMajor: Major | undefined;
  /** The store's folder, once the survey has found it. */
  private storePath: string | undefined;
  /** Where the password in the options came from, for the last screen; found by the credential lookup unless asked. */
  private passwordSource: PasswordSource = 'found';
  /** What the survey read of a SurrealDB 2 store, for the run to take over instead of loading the store again. */
  private readonly surveyed = new SurveyedSource();
  /**
   * The state folder, held from the start where an earlier run used it, else from the end of the survey: a second
   * wizard or run there is refused before its questions, and never offered (or set aside) the journal this one uses.
   */
  private stateLock: HeldStateLock | null = null;

  constructor(private options: RunOptions) {}

  readonly actions: WizardActions = {
    answer: (id, value) => {
      const resolve = this.pending.get(id);
      this.pending.delete(id);
      resolve?.(value);
    },
    cancel: () => {
      this.cancelled = true;
      this.abort.abort();
      for (const resolve of this.pending.values()) resolve(false);
      this.pending.clear();
      this.nextStep?.('quit');
    },
    retry: () => this.nextStep?.('retry'),
    quit: () => this.nextStep?.('quit'),
  };

  ask<T extends Answer>(prompt: PromptSpec): Promise<T> {
    if (this.cancelled) return Promise.reject(new Cancelled());
    return new Promise<T>((resolve, reject) => {
      this.pending.set(prompt.id, (answer) => (this.cancelled ? reject(new Cancelled()) : resolve(answer as T)));
      this.bus.feed({ type: 'prompt', prompt });
    });
  }

  /**
   * Asks a text question until `check` finds nothing wrong with the answer (trimmed); a refused answer is asked again
   * with the reason under the question and the answer kept for correcting.
   */
  private async askText(spec: TextPrompt, check: (answer: string) => string | undefined | Promise<string | undefined>): Promise<string> {
    let refused: { problem: string; value: string } | undefined;
    for (;;) {
      const answer = await this.ask<string>({ ...spec, ...refused });
      const problem = await check(answer.trim());
      if (!problem) return answer.trim();
      refused = { problem, value: answer };
    }
  }

  readonly prompter: Prompter = {
    interactive: true,
    // Ids name the flag that would answer the question without a terminal, so answers cannot be misrouted.
    confirm: (question, flag, detail) => this.ask<boolean>({ kind: 'confirm', id: `step${flag}`, question, ...(detail ? { detail } : {}) }),
    password: (question, flag) => this.askSecret({ kind: 'password', id: `step${flag}`, question }, false),
    choose: (question, choices, flag) => this.ask<string>({ kind: 'select', id: `step${flag}`, question, choices }),
  };

  private phase(phase: WizardPhase): void {
    this.bus.feed({ type: 'phase', phase });
  }

  /** The step row: every step of the run as the options now decide it (`fresh`: none has run yet). */
  private plan(existingServer = false, fresh = false): void {
    this.bus.feed({ type: 'plan', steps: migrateStepNames(this.options, existingServer), ...(fresh ? { fresh } : {}) });
  }

  private emit = (event: PatternDbEvent): void => {
    if (event.type === 'status' && event.state === 'running') {
      const phase = STEP_PHASES[event.step];
      if (phase) this.phase(phase);
    }
    this.bus.feed({ type: 'event', event });
  };

  private runSteps(steps: ReturnType<typeof planFor>, journaled: boolean, surveyed?: SurveyedSource): Promise<RunOutcome> {
    return runPlan({
      ...(surveyed ? { surveyed } : {}),
      steps,
      options: this.options,
      emit: this.emit,
      signal: this.abort.signal,
      prompter: this.prompter,
      ...(journaled ? { fingerprint: fingerprintOf('migrate', this.options) } : {}),
      ...(this.stateLock ? { stateLocked: true } : {}),
      onResult: (step, result) => this.bus.feed({ type: 'result', step, result }),
    });
  }

  /**
   * An unfinished earlier run: continue it, or set its journal aside (never deleted) and start over. A finished one
   * whose export file is still there (its config change declined, say) would stop this run's checks on that file: it is
   * set aside the same way once the user chooses a new migration.
   */
  private async offerResume(): Promise<void> {
    const journal = await readJournal(this.options.stateDir).catch(() => null);
    const stopped = stoppedStep(journal);
    if (!journal) return;
    if (!stopped) return (await keptExports(journal)).length > 0 ? this.offerNewRun(journal) : undefined;
    this.phase('resume');
    // The steps the earlier run finished show as done, as they would in the session that ran them (not as skipped).
    for (const [step, record] of Object.entries(journal.steps)) {
      if (step !== 'preflight' && record.state === 'done') this.emit({ type: 'status', step, state: 'done', message: 'done in an earlier run' });
    }
    const choice = await this.ask<string>({
      kind: 'select',
      id: 'resume',
      question: `An earlier migration stopped at "${stopped}" (${journal.updatedAt}). Continue it?`,
      choices: [
        { label: `Continue from ${stopped}`, value: 'resume', hint: 'finished steps are kept' },
        { label: 'Start over', value: 'fresh', hint: 'the old journal and export file are kept beside the new ones' },
      ],
    });
    if (choice === 'resume') return void (this.options = resumedOptions(this.options, journal));
    await setRunAside(this.options.stateDir, journal);
    this.plan(false, true);
  }

  private async offerNewRun(journal: Journal): Promise<void> {
    this.phase('resume');
    const declined = (journal.steps.config?.result as ConfigResult | undefined)?.declined;
    const url = journal.fingerprint.target || (journal.steps.server?.result as ServerResult | undefined)?.url;
    const choice = await this.ask<string>({
      kind: 'select',
      id: 'resume',
      question: `An earlier migration finished (${journal.updatedAt})${declined ? ', its config change declined' : ''}, and its export file is still there. Start a new one?`,
      choices: [
        { label: 'Start a new migration', value: 'fresh', hint: 'the old journal and export file are kept beside the new ones' },
        { label: 'Quit', value: 'quit', ...(declined && url ? { hint: `pattern-db config --target ${url} points Pattern at that server without moving the data again` } : {}) },
      ],
    });
    if (choice === 'quit') throw new Cancelled();
    await setRunAside(this.options.stateDir, journal);
  }

  /** Store-only checks, shown as the welcome facts and the prerequisites checklist. */
  private async survey(): Promise<RunState> {
    for (;;) {
      this.phase('prerequisites');
      const outcome = await this.runSteps([preflightStep({ store: true, target: false, exportFile: !this.options.resume, emptyTarget: false, census: true, configRewrite: true })], false, this.surveyed);
      if (outcome.ok) {
        const format = outcome.state.preflight?.store?.format;
        this.storeMajor = format ? storeMajor(format) : undefined;
        this.storePath = outcome.state.preflight?.storePath;
        this.bus.feed({ type: 'facts', facts: migrationPreview(this.options, outcome.state.preflight, EMBEDDED_ENGINE) });
        this.phase('welcome');
        return outcome.state;
      }
      const error = outcome.error!;
      // The same code can be a failure no skip helps (damage SurrealDB cannot read past): offered only for the check.
      const why = error.skippable ? SKIPPABLE_CHECKS[error.code] : undefined;
      if (why) {
        const choice = await this.ask<string>({
          kind: 'select',
          id: 'prerequisites.skip',
          question: `${error.message} What now?`,
          choices: [
            { label: 'Check again', value: 'recheck', hint: error.fix ?? '' },
            { label: 'Skip this check', value: 'skip', hint: `safe: ${why}` },
            { label: 'Quit', value: 'quit' },
          ],
        });
        if (choice === 'quit') throw new Cancelled();
        if (choice === 'skip') this.options = { ...this.options, skipChecks: [...(this.options.skipChecks ?? []), error.code] };
        continue;
      }
      if ((await this.failed(error, true, outcome.failedStep)) === 'quit') throw new Cancelled();
    }
  }

  private async chooseTarget(): Promise<void> {
    if (this.options.resume || this.options.target || this.options.startServer) {
      if (this.options.password) return;
      // A server this run starts gets the same offer of a generated password as one chosen on screen.
      const newServer = this.options.startServer && !this.options.resume;
      await this.askPassword(newServer ? 'Root password for the new server' : `Password for ${this.options.username}`, newServer ? generatePassword() : undefined);
      return;
    }
    this.phase('target');
    const where = await this.ask<string>({
      kind: 'select',
      id: 'target.kind',
      question: 'Where should the data go?',
      choices: [
        { label: 'Start a new SurrealDB server here', value: 'new', hint: `managed in the background, log in ${DEFAULTS.stateDir}/` },
        { label: 'Use a server that already runs', value: 'existing', hint: 'its URL and a root user' },
      ],
    });
    if (where === 'existing') {
      this.plan(true);
      return this.askExistingServer();
    }
    const storage = await this.ask<string>({
      kind: 'select',
      id: 'target.storage',
      question: 'Storage for the new server',
      choices: [
        { label: 'A surrealkv folder (keeps the data)', value: 'surrealkv' },
        { label: 'Memory (for trying: gone when the server stops)', value: 'memory' },
      ],
    });
    this.options.startServer = storage === 'memory' ? 'memory' : await this.askServerFolder();
    await this.chooseNewServerVersion();
    this.options.bind = await this.askText({ kind: 'text', id: 'target.bind', question: 'Address to listen on', defaultValue: this.options.bind }, (answer) => {
      const checked = checkBind(answer);
      return checked.ok ? undefined : `${checked.problem} ${BIND_HINT}`;
    });
    this.options.username = await this.askUserName(true);
    this.options.usernameFrom = 'prompt';
    await this.askPassword('Root password for the new server', generatePassword());
  }

  /** Asks for a password until one can be used (passwordProblem); the generated one always can. */
  private async askSecret(spec: PasswordPrompt, newServer: boolean): Promise<string> {
    let problem: string | undefined;
    for (;;) {
      const password = await this.ask<string>({ ...spec, ...(problem ? { problem } : {}) });
      problem = password === spec.generated ? undefined : passwordProblem(password, newServer);
      if (!problem) return password;
    }
  }

  /** A typed password, or the generated one, which is shown once before anything uses it: the user's only copy. */
  private async askPassword(question: string, generated?: string): Promise<void> {
    // Only a server this run starts is offered a generated password, and only its root password has a minimum length.
    const newServer = generated !== undefined;
    const password = await this.askSecret({ kind: 'password', id: 'target.password', question, ...(newServer ? { generated, warnIfRoot: true } : {}) }, newServer);
    if (password === generated) {
      await this.ask<boolean>({
        kind: 'secret',
        id: 'target.password.shown',
        question: `Store it now: the generated password of ${this.options.username} on the new server`,
        secret: password,
        detail: 'Shown only this once: pattern-db keeps no copy. The server has not started yet.\nPress Enter once it is stored (in a password manager); then the server starts.',
      });
    }
    this.options.password = password;
    this.options.passwordFrom = 'prompt';
    this.passwordSource = password === generated ? 'generated' : 'typed';
  }

  /** The new server's surrealkv folder; one that is the store, lies inside it or contains it, or cannot be written, is refused. */
  private async askServerFolder(): Promise<string> {
    const answer = await this.askText({ kind: 'text', id: 'target.folder', question: "Folder for the server's data", defaultValue: './surrealdb-data' }, async (answer) => {
      if (!answer) return 'A folder is needed.';
      const folder = resolveFolder(answer, this.options.cwd);
      const overlap = this.storePath ? await assertOutsideStore(folder, this.storePath, 'The folder').then(() => undefined, asPatternDbError) : undefined;
      return overlap ? `${overlap.message} ${overlap.fix ?? ''}`.trim() : await folderProblem(folder);
    });
    return `surrealkv://${resolveFolder(answer, this.options.cwd)}`;
  }

  /** The root user of a new server (chosen: root is warned of), or the user to sign in to an existing one as. */
  private askUserName(newServer: boolean): Promise<string> {
    const spec: TextPrompt = { kind: 'text', id: 'target.username', question: 'Root user', defaultValue: this.options.username, ...(newServer ? { warnIfRoot: true } : {}) };
    return this.askText(spec, (answer) => {
      const problem = userNameProblem(answer);
      return problem && `${problem} ${USER_NAME_HINT}`;
    });
  }

  /** A SurrealDB 2 store may stay on 2.x or be upgraded: the user chooses, knowing what each means for Pattern. */
  private async chooseNewServerVersion(): Promise<void> {
    if (this.storeMajor !== 2 || this.options.targetVersion) return;
    const stay: Route = { source: 2, target: 2 };
    const upgrade: Route = { source: 2, target: 3 };
    const version = await this.ask<string>({
      kind: 'select',
      id: 'target.version',
      question: 'Store written by SurrealDB 2: which SurrealDB should the new server run?',
      detail: UPGRADE_NOTE,
      warning: UPGRADE_WARNING,
      choices: [
        { label: 'SurrealDB 2: stay', value: '2', hint: routeHint(stay) },
        { label: 'SurrealDB 3: upgrade', value: '3', hint: routeHint(upgrade) },
      ],
    });
    this.options.targetVersion = version === '3' ? 3 : 2;
  }

  /**
   * An existing server is checked as soon as it is named (reachable, version, credentials); a failure asks again.
   * Its major decides the route: one the store cannot take is refused there, an upgrade is confirmed first.
   */
  private async askExistingServer(): Promise<void> {
    for (;;) {
      this.options.target = await this.askText({ kind: 'text', id: 'target.url', question: 'Server URL', defaultValue: this.options.target ?? 'http://127.0.0.1:8000' }, (answer) => {
        const problem = serverUrlProblem(answer);
        return problem && `${problem} ${SERVER_URL_HINT}`;
      });
      this.options.username = await this.askUserName(false);
      this.options.usernameFrom = 'prompt';
      await this.askPassword(`Password for ${this.options.username}`);
      const check = await this.runSteps([preflightStep({ store: false, target: true, exportFile: false, emptyTarget: true, census: false, configRewrite: false })], false);
      if (this.cancelled) throw new Cancelled();
      const version = check.state.preflight?.target?.version;
      if (!check.ok || !version || !this.storeMajor) continue;
      let route: Route;
      try {
        route = chooseRoute({ storeMajor: this.storeMajor, serverVersion: version, serverUrl: this.options.target });
      } catch (error) {
        if ((await this.failed(asPatternDbError(error), true)) === 'quit') throw new Cancelled();
        this.phase('target');
        continue;
      }
      if (!isUpgrade(route)) return;
      const go = await this.ask<boolean>({
        kind: 'confirm',
        id: 'target.upgrade',
        question: `That server runs SurrealDB ${version}: the store will be upgraded to SurrealDB 3. Go on?`,
        detail: UPGRADE_NOTE,
        warning: UPGRADE_WARNING,
      });
      if (go) return;
    }
  }

  /**
   * Runs the doctor's checks under a failure, showing them as they come in; retry and quit never wait for it. A server
   * this run was to start, failing before it ran, is not looked for: "start the server" would be advice about a
   * server that is the run's to start.
   */
  private diagnose(step: string | undefined): void {
    const results: CheckResult[] = [];
    const show = (running: boolean) => this.bus.feed({ type: 'diagnosis', results: [...results], running });
    show(true);
    const onResult = (result: CheckResult) => {
      results.push(result);
      show(true);
    };
    const beforeServer = this.options.startServer && (step === undefined || BEFORE_SERVER.includes(step));
    const input = doctorInputFor(beforeServer ? { ...this.options, startServer: undefined } : this.options);
    void runDoctor(input, onResult, DIAGNOSIS_CHECKS)
      .catch(() => undefined)
      .finally(() => show(false));
  }

  /** Shows a failure; resolves with what the user wants next. */
  private failed(error: PatternDbError, canRetry: boolean, step?: string): Promise<'retry' | 'quit'> {
    this.phase('failed');
    this.bus.feed({
      type: 'failed',
      canRetry,
      error: { code: error.code, message: error.message, ...(error.fix ? { fix: error.fix } : {}), ...(error.evidence ? { evidence: error.evidence } : {}), ...(step ? { step } : {}) },
    });
    if (error.code !== 'E_CANCELLED') this.diagnose(step);
    return new Promise((resolve) => {
      this.nextStep = (choice) => {
        this.nextStep = undefined;
        resolve(choice);
      };
    });
  }

  async run(): Promise<number> {
    try {
      this.plan();
      this.stateLock = await holdUsedStateLock(this.options.stateDir);
      await this.offerResume();
      this.plan();
      await this.survey();
      this.stateLock ??= await holdStateLock(this.options.stateDir);
      const go = await this.ask<boolean>({ kind: 'confirm', id: 'start', question: 'Start the migration?', defaultYes: true });
      if (!go) throw new Cancelled();
      await this.chooseTarget();
      this.plan();
      for (;;) {
        const outcome = await this.runSteps(planFor('migrate', this.options), true, this.surveyed);
        if (outcome.ok) return await this.done(outcome.state);
        if (this.cancelled) return EXIT_CODES.cancelled;
        // A verification that found differences keeps its report: the failure screen shows its table behind v.
        if (outcome.state.verify) this.bus.feed({ type: 'result', step: 'verify', result: outcome.state.verify });
        const error = outcome.error!;
        const refused = refusedSignIn(error, outcome.failedStep);
        const shown = refused ? withFix(error, `Press r to type the password of ${this.options.username} again. ${error.fix ?? ''}`.trim()) : error;
        if ((await this.failed(shown, error.code !== 'E_CANCELLED', outcome.failedStep)) === 'quit') return exitCodeFor(error);
        this.abort = new AbortController();
        this.options = { ...this.options, resume: true };
        // Retrying with the password the server refused could only fail again.
        if (refused) await this.askPassword(`Password for ${this.options.username}`);
      }
    } catch (error) {
      if (error instanceof Cancelled || this.cancelled) return EXIT_CODES.cancelled;
      const failure = asPatternDbError(error);
      await this.failed(failure, false);
      return exitCodeFor(failure);
    } finally {
      // Snapshots are this run's own copies of the store; the store itself was never opened.
      await this.surveyed.close();
      await removeSnapshots(this.options.stateDir);
      await this.stateLock?.release();
    }
  }

  private async done(state: RunState): Promise<number> {
    const summary = doneSummary(this.options, state, this.passwordSource);
    this.phase('done');
    const exitCode = configLeftUnwritten(state) ? EXIT_CODES.failed : EXIT_CODES.ok;
    this.bus.feed({ type: 'done', summary, exitCode });
    const quit = new Promise<void>((resolve) => {
      this.nextStep = () => resolve();
    });
    // q leaves at any time; choosing "Finish" in the offer leaves too.
    const finished = this.offerNextSteps(state, summary, exitCode).then(
      (chose) => (chose ? undefined : quit),
      () => quit,
    );
    await Promise.race([quit, finished]);
    this.pending.clear();
    return exitCode;
  }

  /**
   * The last screen offers Pattern's own user and the first backup, done here and added to the summary.
   * Resolves true when the user chose "Finish", false when there is nothing (more) to offer.
   */
  private async offerNextSteps(state: RunState, summary: DoneSummary, exitCode: number): Promise<boolean> {
    const url = state.server?.url ?? this.options.target;
    const password = this.options.password;
    if (!url || password === undefined || exitCode !== EXIT_CODES.ok) return false;
    const admin: AdminAccess = { url, username: this.options.username, password };
    const offers: Array<Choice & { value: NextStepOffer }> = [
      { label: "Create Pattern's own user and put it in .env", value: 'user', hint: 'a root EDITOR, not the all-powerful owner' },
      { label: 'Make the first backup now', value: 'backup', hint: 'into ./backups, verified, with a checksum' },
    ];
    for (;;) {
      const choice = await this.ask<string>({ kind: 'select', id: 'next', question: 'What next?', choices: [...offers, { label: 'Finish', value: 'finish' }] });
      const index = offers.findIndex((o) => o.value === choice);
      if (index < 0) return true;
      const offer = offers.splice(index, 1)[0]!.value;
      const line = await (offer === 'user' ? createPatternUser(admin, this.options) : makeFirstBackup(admin, this.options, this.emit)).catch((error: unknown) => {
        const failure = asPatternDbError(error);
        this.emit({ type: 'diagnostic', step: 'done', level: 'error', code: failure.code, message: failure.message, ...(failure.fix ? { fix: failure.fix } : {}) });
        return undefined;
      });
      if (line) summary = withOfferDone(summary, offer, line);
      this.bus.feed({ type: 'done', summary, exitCode });
      if (!offers.length) return false;
    }
  }
}

