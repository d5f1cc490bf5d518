import { loadConfig } from '../config.ts';
import { createRuntime } from '../runtime.ts';

// A worker process (`madoguchi worker` in miniature) for the crash test: the runtime with its job
// workers, configured from the environment. Prints {"ready": true} once started; it is meant to be
// killed with SIGKILL (closing stdin stops it cleanly otherwise).

const rt = await createRuntime(loadConfig(process.env), { workers: true });
process.stdout.write(`${JSON.stringify({ ready: true, pid: process.pid })}\n`);
process.stdin.on('end', () => {
  void rt.close().finally(() => process.exit(0));
});
process.stdin.resume();
