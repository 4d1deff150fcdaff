// Picks the panel for the current phase (or help, while it is open).
import { Spinner } from '@inkjs/ui';
import { ConfigPanel } from './config-panel.js';
import { DonePanel } from './done-panel.js';
import { FailurePanel } from './failure-panel.js';
import { HelpPanel } from './help-panel.js';
import { PrerequisitesPanel } from './prerequisites-panel.js';
import { ProgressPanel } from './progress-panel.js';
import { ResumePanel } from './resume-panel.js';
import { Line } from './rows.js';
import { checklist, configDiff, stepState, stepSummary } from './selectors.js';
import { ServerPanel } from './server-panel.js';
import { VerifyPanel } from './verify-panel.js';
import { WelcomePanel } from './welcome-panel.js';
import type { WizardState } from './wizard-state.js';

export function PhasePanel({ state, rows, width, clock }: { state: WizardState; rows: number; width: number; clock?: () => number }) {
  if (state.showHelp) return <HelpPanel rows={rows} />;
  switch (state.phase) {
    case 'starting':
      return <Spinner label="Looking at your Pattern installation…" />;
    case 'resume':
      return <ResumePanel steps={state.steps} />;
    case 'welcome':
      return <WelcomePanel facts={state.facts} rows={rows} width={width} />;
    case 'prerequisites':
      return <PrerequisitesPanel checks={checklist(state)} running={stepState(state, 'preflight') === 'running'} rows={rows} />;
    case 'target':
      return <Line dimColor>Where the data goes, and how pattern-db signs in there.</Line>;
    case 'export':
    case 'import':
      return (
        <ProgressPanel
          progress={state.progress[state.phase]}
          state={stepState(state, state.phase)}
          summary={stepSummary(state, state.phase)}
          waiting={state.phase === 'export' ? 'Copying the store and starting the export…' : 'Connecting to the server…'}
          width={width}
          {...(clock ? { clock } : {})}
        />
      );
    case 'server':
      return <ServerPanel server={state.results.server} step={state.steps.find((s) => s.name === 'server')} logs={state.logs.server ?? []} rows={rows} />;
    case 'verify':
      return state.results.verify ? (
        <VerifyPanel report={state.results.verify} rows={rows} width={width} />
      ) : (
        <ProgressPanel progress={state.progress.verify} waiting="Comparing every record…" width={width} />
      );
    case 'config':
      return <ConfigPanel diff={configDiff(state)} config={state.results.config} rows={rows} />;
    case 'done':
      return state.done ? <DonePanel summary={state.done.summary} exitCode={state.done.exitCode} rows={rows} /> : <Spinner label="Finishing…" />;
    case 'failed':
      return state.failure ? (
        <FailurePanel error={state.failure.error} expanded={state.diagnosisExpanded} rows={rows} width={width} {...(state.diagnosis ? { diagnosis: state.diagnosis } : {})} />
      ) : (
        <Line>Stopped.</Line>
      );
  }
}

