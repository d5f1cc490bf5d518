// Every benchmark stops by itself: after its hard time limit (exit code 2) or on Ctrl-C / SIGTERM
// (exit code 130), it runs its own clean-up first. Returns the timer, to clear on a normal end.
export function guardBenchmark(stop: () => Promise<unknown>, hardLimitMs: number): NodeJS.Timeout {
  const hardLimit = setTimeout(() => {
    console.error(`benchmark exceeded ${hardLimitMs / 1000} s; stopping`);
    void stop().finally(() => process.exit(2));
  }, hardLimitMs);
  hardLimit.unref();
  const onSignal = () => void stop().finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return hardLimit;
}
