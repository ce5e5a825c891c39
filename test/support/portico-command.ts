/** Runs the `portico` command as a child process, the way an operator would, and collects what it printed. */
import { spawn } from 'node:child_process';
import path from 'node:path';

export const PORTICO_BIN = path.resolve(import.meta.dirname, '../../bin/portico.js');

export interface CommandOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** `portico <args>` with exactly this environment, until it exits. */
export function runPortico(args: string[], env: NodeJS.ProcessEnv): Promise<CommandOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [PORTICO_BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
