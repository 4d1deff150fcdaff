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
import { scrollContent, scrollFooter } from './scroll-content.js';
import { checklist, stepState, stepSummary, verifyTableShown } from './selectors.js';
import { ServerPanel } from './server-panel.js';
import { VerifyPanel } from './verify-panel.js';
import { WelcomePanel } from './welcome-panel.js';
import type { WizardState } from './wizard-state.js';

export function PhasePanel({ state, rows, width, clock }: { state: WizardState; rows: number; width: number; clock?: () => number }) {
  if (state.showHelp) return <HelpPanel rows={rows} />;
  if (verifyTableShown(state) && state.results.verify) return <VerifyPanel report={state.results.verify} rows={rows} width={width} offset={state.verifyOffset} />;
  switch (state.phase) {
    case 'starting':
      return <Spinner label="Looking at your Pattern installation…" />;
    case 'resume':
      return <ResumePanel steps={state.steps} />;
    case 'welcome': {
      const content = scrollContent(state);
      return <WelcomePanel position={state.scroll} {...(content ? { content, footer: scrollFooter(state, content) } : {})} />;
    }
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
      return <ProgressPanel progress={state.progress.verify} waiting="Comparing every record…" width={width} />;
    case 'config': {
      const content = scrollContent(state);
      return (
        <ConfigPanel
          position={state.scroll}
          {...(content ? { content, footer: scrollFooter(state, content) } : {})}
          {...(state.results.config ? { config: state.results.config } : {})}
        />
      );
    }
    case 'done': {
      const content = scrollContent(state);
      return state.done && content ? (
        <DonePanel exitCode={state.done.exitCode} content={content} position={state.scroll} footer={scrollFooter(state, content)} />
      ) : (
        <Spinner label="Finishing…" />
      );
    }
    case 'failed':
      return state.failure ? (
        <FailurePanel error={state.failure.error} expanded={state.diagnosisExpanded} rows={rows} width={width} {...(state.diagnosis ? { diagnosis: state.diagnosis } : {})} />
      ) : (
        <Line>Stopped.</Line>
      );
  }
}

