import type { Config } from '../config.js';

/** Whether HOST is a loopback interface: only this machine can reach the server. */
export function isLoopbackHost(host: string): boolean {
  const name = host.replace(/^\[|\]$/g, '').toLowerCase();
  return name === 'localhost' || name === '::1' || /^127(\.\d{1,3}){3}$/.test(name);
}

/**
 * What is unsafe about serving on a public interface without NODE_ENV=production — each item one sentence for
 * the banner and the log. Empty on a loopback HOST or in production (which refuses the unsafe settings itself).
 */
export function unsafeExposure(
  config: Config,
  env: NodeJS.ProcessEnv,
  situation: { demoOrganizations: string[] },
): string[] {
  if (config.production || isLoopbackHost(config.host)) return [];
  const unsafe = [
    `HOST=${config.host} is a public interface but NODE_ENV is not production: the checks that protect real data are off.`,
  ];
  if (!env.APP_SECRET) {
    unsafe.push('APP_SECRET is not set: a secret generated into DATA_DIR signs sessions and tokens.');
  }
  if (config.publicUrl.protocol !== 'https:') {
    unsafe.push(
      `PUBLIC_URL is ${config.publicUrl.origin}: passwords, cookies and e-mailed links travel in clear text.`,
    );
  }
  unsafe.push('The sandbox payment gateway can be chosen: its payments are test payments and move no money.');
  if (situation.demoOrganizations.length > 0) {
    unsafe.push(
      `The demo organizations (${situation.demoOrganizations.join(', ')}) are here, with public passwords: anyone can sign in to them.`,
    );
  }
  return unsafe;
}
