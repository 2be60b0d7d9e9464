/**
 * Property tests explore new random cases on every local run; in CI they replay a fixed seed so
 * a landing never depends on luck. A failure prints its seed and path, to replay it locally.
 */
import fc from 'fast-check';

if (process.env.CI) fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261126) });
