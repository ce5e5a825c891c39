import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { preload, SWRConfig } from 'swr';
import { ApiError } from '../ui/api.js';
import { keepFocusAcrossDisabling } from '../ui/keep-focus.js';
import '../ui/styles.css';
import { App } from './app.js';
import { brandKey, loadBrand } from './brand.js';
import { loadSession, sessionKey } from './session.js';

/** The portal name is the first segment after /portal/ — the same page serves every organization's portal. */
const slug = decodeURIComponent(window.location.pathname.split('/')[2] ?? '');

// The brand and the session are asked for at once, before React renders, and Home's code with them when that is
// where the client lands: the first screen waits for one round trip, not three in a row.
// A failure (an unknown portal, the network) is shown by the screen that reads it; here it must not go unhandled.
const quietly = () => undefined;
preload(brandKey(slug), () => loadBrand(slug)).catch(quietly);
preload(sessionKey(slug), () => loadSession(slug)).catch(quietly);
if (/^\/portal\/[^/]+\/?$/.test(window.location.pathname)) void import('./screens/home.js');

keepFocusAcrossDisabling();
const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <SWRConfig
        value={{
          revalidateOnFocus: false,
          dedupingInterval: 5000,
          // An answer from the API (404, 401…) is final; only a network failure is worth another try.
          shouldRetryOnError: (error) => !(error instanceof ApiError),
          errorRetryCount: 2,
        }}
      >
        <App slug={slug} />
      </SWRConfig>
    </StrictMode>,
  );
}
