import { Command } from 'commander';

export function serveCommand(): Command {
  return new Command('serve')
    .description('Start the Cordon server (same as `npm start` without rebuilding the web app). Settings: PORT, HOST, DATA_DIR, DATABASE_URL, CORDON_DEMO.')
    .action(async () => {
      await import('@cordon/server/main');
    });
}
