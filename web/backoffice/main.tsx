import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { SWRConfig } from 'swr';
import { ApiError } from '../ui/api.js';
import { keepFocusAcrossDisabling } from '../ui/keep-focus.js';
import '../ui/styles.css';
import './styles.css';
import { App } from './app.js';

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
        <App />
      </SWRConfig>
    </StrictMode>,
  );
}
