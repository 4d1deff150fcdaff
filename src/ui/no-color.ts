// chalk 5.6 (Ink's and @inkjs/ui's colours) reads FORCE_COLOR and --no-color but not NO_COLOR: honour it here.
import chalk from 'chalk';

export function applyNoColor(env: NodeJS.ProcessEnv = process.env): void {
  if (env.NO_COLOR) chalk.level = 0;
}
